#!/usr/bin/env bash
# The embeddable components' figures (bench/EMBED.md: the bytes of /embed/v1/paco.js as identity, gzip and br, and the time
# to first render on a page of another origin, first visit and revalidated) and the README's screenshots
# (src/Api/Embed/screenshots/), measured with Playwright and the system Chromium against the API on a loopback port.
set -euo pipefail
cd "$(dirname "$0")/.."
dotnet test tests/Api.Tests --filter "FullyQualifiedName~EmbedMeasurements" --logger "console;verbosity=normal"
