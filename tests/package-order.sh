#!/usr/bin/env bash
# Issue 16's one-way package order: jdeps on the jar (JDK 17 and JDK 22+ views of the multi-release jar) lists the
# dependencies between the library's own packages; tsort fails if they contain a circle. Prints the order found.
#   tests/package-order.sh [target/cymem4j.jar]
set -euo pipefail
cd "$(dirname "$0")/.."
jar=${1:-target/cymem4j.jar}
# JavaCPP (target/lib) and the JUnit API (org.cymem4j.junit's "requires static") resolve the module's requires.
junit=$(ls ~/.m2/repository/org/junit/jupiter/junit-jupiter-api/*/junit-jupiter-api-*.jar 2>/dev/null | grep -v sources | tail -1)
modules="target/lib${junit:+:$junit}"
status=0
for release in 17 22; do
  edges=$(jdeps -verbose:package --multi-release "$release" --module-path "$modules" "$jar" 2>/dev/null \
    | awk '$1 ~ /^org\.cymem4j/ && $2 == "->" && $3 ~ /^org\.cymem4j/ && $1 != $3 {print $1, $3}' | sort -u)
  if [ -z "$edges" ]; then echo "package-order: jdeps printed no dependencies for $jar" >&2; exit 1; fi
  if ! order=$(echo "$edges" | tsort 2>&1); then
    echo "package-order: the packages of $jar (release $release) depend in a circle:" >&2
    echo "$order" | grep -i loop -A20 >&2 || true
    echo "$edges" | sed 's/^/  /' >&2
    status=1
  else
    echo "release $release, packages in dependency order (each uses only those below it):"
    echo "$order" | sed 's/^/  /'
  fi
done
exit $status
