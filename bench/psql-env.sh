# Sourced by the bench scripts: psql_from CONNECTION sets PSQL (an array) and sql() for the connection string of
# bench/results/connection.txt, in Npgsql style (Host=…;Port=…, exported as PG* variables) or libpq URI/conninfo.
psql_from() {
  local connection=$1 part key value parts
  if [[ $connection == *";"* || $connection =~ ^[A-Za-z\ ]+=[^\ ]*$ ]]; then
    IFS=';' read -ra parts <<<"$connection"
    for part in "${parts[@]}"; do
      key=${part%%=*}; key=${key// /}; key=${key,,}; value=${part#*=}
      case $key in
        host | server) export PGHOST=$value ;;
        port) export PGPORT=$value ;;
        username | userid | user | uid) export PGUSER=$value ;;
        database | db) export PGDATABASE=$value ;;
        password | pwd) export PGPASSWORD=$value ;;
      esac
    done
    PSQL=(psql -X -A -t -q)
  else
    PSQL=(psql -X -A -t -q "$connection")
  fi
  export PGCONNECT_TIMEOUT=10
}
sql() { "${PSQL[@]}" -c "$1"; }
