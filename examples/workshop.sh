#!/usr/bin/env bash
# The serverless workshop in one script, on the local stack (no AWS account).
# What took ~40 console steps: a table, a role, a function, a REST API, a
# stage; CRUD through it; bulk data; and a cleanup that forgets nothing.
# Against AWS: drop --local (and `local up/down`), keep everything else.
set -euo pipefail
cd "$(dirname "$0")/.."
scrud() { serverless-crud "$@"; }

scrud local up                                      # moto + Lambda emulator (first run installs them)
scrud --local setup --stack workshop --table users  # table, log group, role, function, REST API, stage
scrud --local --stack workshop ping
scrud --local --stack workshop create --table users --item '{"id":"1","name":"Ana","age":31,"price":4.5}'
scrud --local --stack workshop update --table users --key id=1 --set name=Bea --add age=1
scrud --local --stack workshop read   --table users --key id=1
scrud --local --stack workshop seed   --table users --file examples/data/people.jsonl
scrud --local --stack workshop seed   --table users --file examples/data/people.csv --types age:n,active:bool
scrud --local --stack workshop list   --table users
scrud --local --stack workshop --via lambda send examples/events/ping.json
scrud --local --stack workshop status               # every resource, drift, latency per transport
scrud --local --stack workshop teardown --yes       # everything, log group included
scrud local down
