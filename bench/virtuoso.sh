#!/bin/sh
# Virtuoso 7.2 (Debian virtuoso-opensource) for bench/opendata.py's comparison: its own database under
# var/bench/virtuoso, its own ports on loopback (isql 11191, HTTP 18891), never the system service.
#   bench/virtuoso.sh start            install the package if missing, write virtuoso.ini, start, wait for isql
#   bench/virtuoso.sh load DIR         bulk-load every *.nt.gz of DIR (ld_dir + rdf_loader_run + checkpoint)
#   bench/virtuoso.sh stop             shut it down (isql "shutdown")
#   bench/virtuoso.sh reset            stop and remove its database
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
HOME_DIR="$ROOT/var/bench/virtuoso"
ISQL_PORT=11191
HTTP_PORT=18891
GRAPH=http://data.lblod.info/bench

isql() { isql-vt "127.0.0.1:$ISQL_PORT" dba dba "exec=$1" ; }

case "${1:-}" in
start)
    if ! command -v virtuoso-t >/dev/null; then
        apt-get install -y virtuoso-opensource >/dev/null
    fi
    mkdir -p "$HOME_DIR/db"
    # The Debian defaults with our paths, ports, memory (about 2.7 GB of buffers, as Virtuoso's guide says for
    # 4 GB) and SPARQL limits high enough for the comparison queries.
    sed -e "s#/var/lib/virtuoso-opensource-7/db#$HOME_DIR/db#g" \
        -e "s#^ServerPort *= *1111#ServerPort = 127.0.0.1:$ISQL_PORT#" \
        -e "s#^ServerPort *= *8890#ServerPort = 127.0.0.1:$HTTP_PORT#" \
        -e "s#^DirsAllowed *=.*#DirsAllowed = ., /usr/share/virtuoso-opensource-7/vad, $ROOT/var/bench#" \
        -e "s#^NumberOfBuffers *=.*#NumberOfBuffers = 340000#" \
        -e "s#^MaxDirtyBuffers *=.*#MaxDirtyBuffers = 250000#" \
        -e "s#^ResultSetMaxRows *=.*#ResultSetMaxRows = 1000000#" \
        -e "s#^MaxQueryExecutionTime *=.*#MaxQueryExecutionTime = 120#" \
        /etc/virtuoso-opensource-7/virtuoso.ini > "$HOME_DIR/virtuoso.ini"
    cd "$HOME_DIR/db"
    nohup virtuoso-t -f -c "$HOME_DIR/virtuoso.ini" > "$HOME_DIR/server.out" 2>&1 &
    echo $! > "$HOME_DIR/pid"
    for _ in $(seq 1 120); do
        if isql "status();" >/dev/null 2>&1; then echo "virtuoso: up (pid $(cat "$HOME_DIR/pid"))"; exit 0; fi
        sleep 1
    done
    echo "virtuoso did not start; see $HOME_DIR/server.out and $HOME_DIR/db/virtuoso.log" >&2
    exit 1
    ;;
load)
    DIR=$(cd "$2" && pwd)
    isql "SPARQL CLEAR GRAPH <$GRAPH>; DELETE FROM DB.DBA.load_list; ld_dir('$DIR', '*.nt.gz', '$GRAPH'); rdf_loader_run(); checkpoint; SELECT ll_file, ll_state, ll_error FROM DB.DBA.load_list;"
    ;;
stop)
    isql "shutdown;" >/dev/null 2>&1 || true
    if [ -f "$HOME_DIR/pid" ]; then
        pid=$(cat "$HOME_DIR/pid")
        for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        rm -f "$HOME_DIR/pid"
    fi
    ;;
reset)
    "$0" stop
    rm -rf "$HOME_DIR"
    ;;
*)
    sed -n '2,8p' "$0"
    exit 2
    ;;
esac
