#!/bin/sh
# run.sh: the second half of `make run`: a demo database when none exists,
# then the server on http://127.0.0.1:8080 (override with LISTEN=host:port).
set -eu
cd "$(dirname "$0")/.."
db=${MEDSALES_DB:-data/medsales.db}
listen=${LISTEN:-127.0.0.1:8080}
if [ ! -f "$db" ]; then
	./medsales demo --db "$db"
fi
cat <<EOT

  MedSales 医械销售管理  ->  http://$listen

  Demo logins (password for all: Demo@2026)
    admin        administrator / 系统管理员
    director     sales director / 销售总监
    compliance   compliance officer / 合规专员
    mgr.east     East region manager / 华东大区经理
    mgr.sh       Shanghai province manager / 上海省区经理
    rep.sh1      Shanghai sales rep / 上海销售代表
    rep.bj1      Beijing sales rep / 北京销售代表

  Stop with Ctrl-C. Database: $db

EOT
exec ./medsales serve --db "$db" --listen "$listen" --web-dir web/dist
