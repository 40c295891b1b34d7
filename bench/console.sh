#!/usr/bin/env bash
# The editorial console's figures (bench/CONSOLE.md: first-load bytes, time to interactive) and the README's screenshots
# (src/Api/Console/screenshots/), measured with Playwright and the system Chromium against the API on a loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test tests/Api.Tests --filter "FullyQualifiedName~ConsoleMeasurements" --logger "console;verbosity=normal"
