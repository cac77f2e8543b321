# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_serverless_crud_global_optspecs
    string join \n local endpoint= function= stack= via= auth= api-key= token= profile= region= timeout= o/output= q/quiet v/verbose dry-run h/help V/version
end

function __fish_serverless_crud_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_serverless_crud_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_serverless_crud_using_subcommand
    set -l cmd (__fish_serverless_crud_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "create" -d 'Put an item (PutItem)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "read" -d 'Get an item by key (GetItem)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "update" -d 'Update an item (UpdateItem) with --set/--remove/--add or an --expression'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "delete" -d 'Delete an item by key (DeleteItem)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "list" -d 'Scan a table (Scan), one page or --all'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "echo" -d 'Send a payload and get it back (checks the event path end to end)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "ping" -d 'Ping the dispatcher and show the round-trip time'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "send" -d 'Send a raw event file (or - for stdin), e.g. the tutorial\'s Postman bodies'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "setup" -d 'Create the whole pattern: tables, role, function, REST API, stage (idempotent)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "deploy" -d 'Publish a new version and move alias `live` to it (or weight it)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "promote" -d 'Give the weighted new version all of alias `live`'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "rollback" -d 'Move alias `live` back: off the weighted version, or to the previous'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "status" -d 'Show a stack\'s resources, drift and live latency through each transport'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "teardown" -d 'Remove everything setup made (from the state file or by discovery)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "seed" -d 'Bulk-load JSON, JSONL or CSV: streamed, concurrent, resumable, lossless'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "export" -d 'Export a table to JSON lines, JSON, CSV or DynamoDB JSON: parallel, resumable, exact'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "login" -d 'Sign a user in to the stack\'s Cognito user pool (--auth cognito); its token is sent'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "logs" -d 'A stack\'s log lines, function and API, joined by request id (--follow to tail)'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "metrics" -d 'A stack\'s invocations, errors, latency and API status classes, per operation too'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "local" -d 'Run an offline AWS: moto + the Lambda emulator + the dispatcher'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "cors" -d 'A browser\'s view of the stack\'s API: the CORS preflight and the call, explained'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "doctor" -d 'Check credentials, region, clock, Python, ports and the local stack, with fixes'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "man-pages" -d 'Write the man pages (generated from these definitions) into a directory'
complete -c serverless-crud -n "__fish_serverless_crud_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s i -l item -d 'The item: JSON, @FILE, or - for stdin' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l condition -d 'ConditionExpression that must hold for the write' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l names -d 'ExpressionAttributeNames as JSON, e.g. \'{"#s":"status"}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l values -d 'ExpressionAttributeValues as JSON, e.g. \'{":v":1}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l if-absent -d 'Only create: fail with exit 4 if an item with this key exists'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand create" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s k -l key -d 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l consistent -d 'Strongly consistent read'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand read" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s k -l key -d 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l set -d 'Set an attribute: NAME=VALUE (32 -> number, true -> bool, text -> string; NAME:s=32 forces a string); NAME may be a.b.c' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l remove -d 'Remove an attribute' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l add -d 'Add to a number (NAME=1) or a set' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l expression -d 'A raw UpdateExpression instead of --set/--remove/--add (use --names/--values)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l condition -d 'ConditionExpression that must hold for the write' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l names -d 'ExpressionAttributeNames as JSON, e.g. \'{"#s":"status"}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l values -d 'ExpressionAttributeValues as JSON, e.g. \'{":v":1}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l if-exists -d 'Only update an existing item (fail with exit 4 otherwise)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand update" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s k -l key -d 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l condition -d 'ConditionExpression that must hold for the delete' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l names -d 'ExpressionAttributeNames as JSON, e.g. \'{"#s":"status"}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l values -d 'ExpressionAttributeValues as JSON, e.g. \'{":v":1}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand delete" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l limit -d 'Items evaluated per request (Scan Limit)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l filter -d 'FilterExpression (use --names/--values for placeholders)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l where -d 'Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l start-key -d 'Start after this key (a previous page\'s lastEvaluatedKey), JSON' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l names -d 'ExpressionAttributeNames as JSON, e.g. \'{"#s":"status"}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l values -d 'ExpressionAttributeValues as JSON, e.g. \'{":v":1}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l all -d 'Follow LastEvaluatedKey until the whole table is read'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l consistent -d 'Strongly consistent scan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand list" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s p -l payload -d 'The payload: JSON, @FILE, or - for stdin' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand echo" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s c -l count -d 'Number of pings (shows min/avg/p50/p99/max)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand ping" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand send" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s t -l table -d 'Table NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable. Re-running adds new tables' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l runtime -d 'Lambda runtime of the dispatcher [default: python3.12, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l memory -d 'Function memory in MB [default: 256, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l function-timeout -d 'Function timeout in seconds (API Gateway stops waiting at 29) [default: 30, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l stage -d 'API Gateway stage name [default: v1, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l log-retention -d 'Days CloudWatch keeps the function\'s logs [default: 7, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l rate -d 'Requests per second for --auth api-key (usage plan throttling) [default: 10, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l burst -d 'Burst for --auth api-key (usage plan throttling) [default: 20, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l dispatcher -d 'Deploy this dispatcher file instead of the embedded one (e.g. the tutorial\'s) [default: embedded, or as recorded]' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l integration -d 'How the REST API reaches the function [default: proxy, or as recorded]' -r -f -a "proxy\t'Lambda proxy: the function gets API Gateway\'s proxy event and answers with {statusCode, headers, body}'
non-proxy\t'Non-proxy (passthrough): the function gets the request body as its event and its result is the 200 body (the tutorial\'s wiring)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l api -d 'The API in front: rest (API Gateway REST API) or http (HTTP API: IAM or no auth, native CORS) [default: rest, or as recorded]' -r -f -a "rest\t'A REST API (API Gateway v1): API keys, usage plans, resource policies, MOCK preflights'
http\t'An HTTP API (API Gateway v2): cheaper and faster; IAM or no auth, native CORS, no API keys'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l routes -d 'The API\'s routes: crud (POST /crud) or rest (also GET|POST /items/{table}, GET|PUT|PATCH|DELETE /items/{table}/{id}) [default: crud, or as recorded]' -r -f -a "crud\t'POST /crud only: the contract\'s events'
rest\t'POST /crud and resource routes: GET|POST /items/{table}, GET|PUT|PATCH|DELETE /items/{table}/{id}[/{sort}]'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l cors -d 'An origin browsers may call the API from (repeatable; `*` only with --allow-public): CORS preflights, headers on replies and on errors' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l authorizer -d 'With --auth lambda: the authorizer\'s code (a Python file with lambda_handler returning an IAM policy) [default: as recorded]' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l authorizer-type -d 'With --auth lambda: token (one header) or request (headers, query, stage variables; HTTP APIs: request only) [default: token (HTTP APIs: request), or as recorded]' -r -f -a "token\t'The function gets the token (one header) and the method ARN'
request\t'The function gets the request\'s headers, query, path and stage variables'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l identity-source -d 'With --auth lambda: where the identity is read, comma-separated header:NAME, query:NAME, stage:NAME [default: header:Authorization, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l authorizer-ttl -d 'With --auth lambda: seconds API Gateway caches the authorizer\'s answer per identity, 0 = off [default: 300, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l authorizer-payload -d 'With --api http --auth lambda: the event\'s payload format, 1.0 or 2.0 [default: 2.0, or as recorded]' -r -f -a "1.0\t''
2.0\t''"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l method-auth -d 'One method\'s auth instead of the stack\'s: VERB=AUTH[+api-key], e.g. DELETE=lambda+api-key (repeatable; REST APIs) [default: as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l jwt-issuer -d 'With --auth jwt: the token issuer (`iss`; its keys by OIDC discovery) [default: the local stack\'s issuer locally, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l jwt-audience -d 'With --auth jwt: an accepted audience (`aud`, or `client_id` without one); repeatable [default: serverless-crud locally, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l scope -d 'With --auth jwt: a scope the routes require (a token needs one of them); repeatable [default: none, or as recorded]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l local-workers -d 'Runtime workers for the stack\'s function on the local stack' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l allow-public -d 'Required with --auth none: the API will be open to the internet'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l simple-responses -d 'With --api http --auth lambda (payload 2.0): the authorizer answers {"isAuthorized": true|false, "context": {…}} instead of an IAM policy'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand setup" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l dispatcher -d 'The dispatcher to publish (a Python file with lambda_handler) [default: the stack\'s recorded one, else the embedded dispatcher]' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l alias-weight -d 'Send this share of invocations (0 < W < 1) to the new version; the rest stays on the current one until `promote` or `rollback`' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l canary -d 'A canary deployment on the REST stage: this percentage of the stage\'s requests runs the new version (its stage variable `alias` overridden)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l keep -d 'Published versions to keep; older ones the alias does not use are deleted' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l local-workers -d 'Runtime workers for the new version on the local stack' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand deploy" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l finish -d 'With a canary: also remove the stage\'s canary settings (AWS\'s promotion leaves them, at 0%)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand promote" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand rollback" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l show-api-key -d 'Print the API key value (api-key stacks)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand status" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l backup -d 'Where backups of tables holding items go: a file (default) or a DynamoDB on-demand backup' -r -f -a "file\t'A DynamoDB JSON export file (ddb-jsonl.gz), owner-only'
aws\t'A DynamoDB on-demand backup (AWS keeps it after the table is deleted)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l backup-dir -d 'Directory for backup files [default: STATE_DIR/backups/STACK]' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l backup-max -d 'Tables larger than this are kept rather than backed up to a file (e.g. 500MB, 2GB)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l api-delete-interval -d 'Seconds between REST API deletions (AWS allows one per 30 s per account) [default: 30; 0 locally]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l all -d 'Every stack this tool made in the region (workshop cleanup)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s y -l yes -d 'Do not ask; required when there is no terminal'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l keep-tables -d 'Keep the tables and their data'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l no-backup -d 'Delete tables that hold items without keeping a copy'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand teardown" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s f -l file -d 'Input file, or - for stdin (with --format)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l format -d 'Input format [default: from the extension: .json, .jsonl/.ndjson, .csv]' -r -f -a "json\t'A JSON array of objects (streamed, not loaded)'
jsonl\t'One JSON object per line'
csv\t'CSV with a header row'
ddb-jsonl\t'DynamoDB JSON, one {"Item": {...}} per line (AWS\'s S3 export format): every type kept'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l types -d 'CSV column types, e.g. age:n,active:bool,tags:json (others are strings)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s c -l concurrency -d 'Requests in flight at most, lowered automatically while throttled [default: 16; 4 on the local stack, where moto slows down with more]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l batch-size -d 'Items per request [default: 25 with --direct, 100 through the dispatcher]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l rejects -d 'Where rejected records go: a new file (never overwritten) [default: in the state dir, printed]' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l engine -d 'How items get in [default: dispatcher]: the dispatcher\'s batch, BatchWriteItem directly, or DynamoDB\'s ImportTable from S3 (a new table; --bucket, --key-attr)' -r -f -a "dispatcher\t'The dispatcher\'s `batch` operation, like every other command'
direct\t'BatchWriteItem straight to DynamoDB'
s3-import\t'Upload to S3, then DynamoDB\'s ImportTable creates the table from it'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l bucket -d 's3-import: the bucket the input is uploaded to for ImportTable' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l prefix -d 's3-import: a key prefix in the bucket' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l key-attr -d 'The table\'s key attributes, NAME[:S|N|B] (hash, then range) [default: read from the table]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l max-attempts -d 'Attempts per request; then the seed stops with a checkpoint (records are never rejected for an outage)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l resume -d 'Continue an interrupted seed of the same file into the same table'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l direct -d 'Short for --engine direct: BatchWriteItem straight to DynamoDB (needs table permissions)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand seed" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s t -l table -d 'Table name' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s f -l file -d 'Output file, or - for standard output; .gz compresses' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l format -d 'Output format [default: from the extension (.ddb.jsonl, .jsonl, .json, .csv), else jsonl]' -r -f -a "json\t'A JSON array of objects (streamed, not loaded)'
jsonl\t'One JSON object per line'
csv\t'CSV with a header row'
ddb-jsonl\t'DynamoDB JSON, one {"Item": {...}} per line (AWS\'s S3 export format): every type kept'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l segments -d 'Parallel Scan segments read at once [default: 4; 1 on the local stack, where moto walks the whole table for every segment]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l filter -d 'FilterExpression (use --names/--values for placeholders)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l where -d 'Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l names -d 'ExpressionAttributeNames as JSON, e.g. \'{"#s":"status"}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l values -d 'ExpressionAttributeValues as JSON, e.g. \'{":v":1}\'' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l page-size -d 'Items evaluated per Scan request (Limit) [default: none, DynamoDB ends each page at 1 MB; 1000 through the dispatcher on AWS]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l engine -d 'Where the items come from [default: dispatcher]' -r -f -a "dispatcher\t'The dispatcher\'s `list` (Segment/TotalSegments), like every other command'
direct\t'Scan DynamoDB directly (needs table permissions)'
s3-export\t'DynamoDB\'s ExportTableToPointInTime to S3 (enables PITR), then download'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l bucket -d 's3-export: the bucket AWS writes the export to' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l prefix -d 's3-export: a key prefix in the bucket' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l consistent -d 'Strongly consistent scan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l resume -d 'Continue an interrupted export to the same file'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l force -d 'Replace FILE if it exists'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l direct -d 'Short for --engine direct'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l keep-in-s3 -d 's3-export: leave the export in S3 (print where) instead of downloading it'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand export" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l user -d 'The user of the stack\'s user pool to sign in' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l create -d 'Make the user first, with the password given as its permanent one (an admin call: your AWS credentials)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l print-token -d 'Also print the ID token on stdout, alone (`JWT=$(… login --print-token)`)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand login" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l since -d 'From when: a duration back (30s, 10m, 1h, 2d) or an RFC 3339 time' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l filter -d 'Only lines containing TEXT' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l request-id -d 'Only one request\'s lines (its Lambda or API request id): START … REPORT and its API line' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l source -d 'Which log groups' -r -f -a "function\t'The function\'s log group'
api\t'The stage\'s access-log group'
all\t'Both'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s f -l follow -d 'Keep printing new lines as they come (Ctrl-C ends it)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand logs" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l since -d 'From when: a duration back (30m, 1h, 2d) or an RFC 3339 time' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l period -d 'Seconds per data point of the series (a multiple of 60)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l by -d 'Also split the function\'s figures: by executed version (a release\'s alias side by side: invocations, errors, p50/p99)' -r -f -a "version\t'The version that ran each invocation'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand metrics" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "up" -d 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "status" -d 'Show endpoints, processes, functions and tables'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "down" -d 'Stop exactly the processes `up` started'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "install" -d 'Only create the Python venv with the pinned emulator packages'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "token" -d 'Print a token signed by the local issuer, for --auth jwt stacks'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "gateway" -d 'Run the local API gateway (started by `local up`; not for direct use)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and not __fish_seen_subcommand_from up status down install token gateway help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s t -l table -d 'Create a table: NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l moto-port -d 'Port for moto server (0 picks a free one)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l lambda-port -d 'Port for the Lambda emulator (0 picks a free one)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l gateway-port -d 'Port for the local API gateway (0 picks a free one)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l workers -d 'Runtime workers (concurrent executions) for the function' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l dispatcher -d 'Run this dispatcher file instead of the embedded one (e.g. the tutorial\'s)' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l integration -d 'How function-URL (API transport) requests reach the dispatcher' -r -f -a "proxy\t'Lambda proxy: the function gets API Gateway\'s proxy event and answers with {statusCode, headers, body}'
non-proxy\t'Non-proxy (passthrough): the function gets the request body as its event and its result is the 200 body (the tutorial\'s wiring)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l seed -d 'Seed the gateway\'s random choices (canary share, alias weights) so a split is reproducible' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l no-telemetry -d 'Do not emit function and API logs and metrics into the local CloudWatch'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from up" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from down" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from install" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l subject -d '`sub`' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l audience -d '`aud` (repeatable) [default: serverless-crud, or none with --client-id alone]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l client-id -d '`client_id` (as Cognito access tokens carry it)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l scope -d 'A scope (repeatable; `scope`, space-separated)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l expires-in -d 'Lifetime: 30s, 15m, 1h, 2d (negative, e.g. -1m: already expired)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l not-before -d 'Not valid before this long from now (`nbf`)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l claim -d 'Another claim NAME=VALUE (VALUE as JSON if it parses; null removes the claim)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l port -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from gateway" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "up" -d 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "status" -d 'Show endpoints, processes, functions and tables'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "down" -d 'Stop exactly the processes `up` started'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "install" -d 'Only create the Python venv with the pinned emulator packages'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "token" -d 'Print a token signed by the local issuer, for --auth jwt stacks'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "gateway" -d 'Run the local API gateway (started by `local up`; not for direct use)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand local; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l origin -d 'The page\'s origin, as the browser sends it (https://app.example.com)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l method -d 'The method the page uses [default: GET with --routes rest, else POST (to /crud)]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l header -d 'A header the page adds (repeatable)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from help" -f -a "check" -d 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand cors; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand completions" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l dir -d 'Where to write serverless-crud.1, serverless-crud-seed.1, ...' -r -F
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l endpoint -d 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l function -d 'Lambda function to invoke directly (name or ARN)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l stack -d 'Stack made by `setup` whose endpoint and function to use [default: default]' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l via -d 'Transport when both an endpoint and a function are known [default: api]' -r -f -a "api\t'HTTPS to the API Gateway stage URL'
lambda\t'Lambda Invoke of the function'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l auth -d 'How the API transport authenticates [default: api-key if a key is given, else iam]' -r -f -a "iam\t'SigV4-sign requests with your AWS credentials (AWS_IAM methods)'
api-key\t'Send the x-api-key header (--api-key / SERVERLESS_CRUD_API_KEY)'
lambda\t'A Lambda authorizer decides: send a token (--token / SERVERLESS_CRUD_TOKEN) as `Authorization: Bearer …`'
jwt\t'A JWT authorizer (HTTP APIs) verifies a bearer token (--token): an OIDC issuer\'s, or the local stack\'s (`local token`)'
cognito\t'A Cognito user pool made for the stack decides: `login` signs a user in, and its token is sent (or --token)'
none\t'No authentication'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l api-key -d 'API key for --auth api-key (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l token -d 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l profile -d 'AWS profile (default: AWS_PROFILE, then the default profile)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l region -d 'AWS region (default: AWS_REGION, then the profile\'s region)' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l timeout -d 'Seconds to wait for one request' -r
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -s o -l output -d 'Output format [default: text on a terminal, json otherwise]' -r -f -a "text\t'Tables and short confirmations (default on a terminal)'
json\t'Stable JSON on stdout (default when stdout is not a terminal)'"
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l local -d 'Use the local stack (see `local up`) for every AWS call'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -s q -l quiet -d 'Print only results (no progress or notes on stderr)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -s v -l verbose -d 'More detail on stderr (-v: requests and timings, -vv: wire events)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -l dry-run -d 'Change nothing: print the event that would be sent, or the plan'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand man-pages" -s V -l version -d 'Print version'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "create" -d 'Put an item (PutItem)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "read" -d 'Get an item by key (GetItem)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "update" -d 'Update an item (UpdateItem) with --set/--remove/--add or an --expression'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "delete" -d 'Delete an item by key (DeleteItem)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "list" -d 'Scan a table (Scan), one page or --all'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "echo" -d 'Send a payload and get it back (checks the event path end to end)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "ping" -d 'Ping the dispatcher and show the round-trip time'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "send" -d 'Send a raw event file (or - for stdin), e.g. the tutorial\'s Postman bodies'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "setup" -d 'Create the whole pattern: tables, role, function, REST API, stage (idempotent)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "deploy" -d 'Publish a new version and move alias `live` to it (or weight it)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "promote" -d 'Give the weighted new version all of alias `live`'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "rollback" -d 'Move alias `live` back: off the weighted version, or to the previous'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "status" -d 'Show a stack\'s resources, drift and live latency through each transport'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "teardown" -d 'Remove everything setup made (from the state file or by discovery)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "seed" -d 'Bulk-load JSON, JSONL or CSV: streamed, concurrent, resumable, lossless'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "export" -d 'Export a table to JSON lines, JSON, CSV or DynamoDB JSON: parallel, resumable, exact'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "login" -d 'Sign a user in to the stack\'s Cognito user pool (--auth cognito); its token is sent'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "logs" -d 'A stack\'s log lines, function and API, joined by request id (--follow to tail)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "metrics" -d 'A stack\'s invocations, errors, latency and API status classes, per operation too'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "local" -d 'Run an offline AWS: moto + the Lambda emulator + the dispatcher'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "cors" -d 'A browser\'s view of the stack\'s API: the CORS preflight and the call, explained'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "doctor" -d 'Check credentials, region, clock, Python, ports and the local stack, with fixes'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "completions" -d 'Print a shell completion script'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "man-pages" -d 'Write the man pages (generated from these definitions) into a directory'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and not __fish_seen_subcommand_from create read update delete list echo ping send setup deploy promote rollback status teardown seed export login logs metrics local cors doctor completions man-pages help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "up" -d 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "status" -d 'Show endpoints, processes, functions and tables'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "down" -d 'Stop exactly the processes `up` started'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "install" -d 'Only create the Python venv with the pinned emulator packages'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "token" -d 'Print a token signed by the local issuer, for --auth jwt stacks'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from local" -f -a "gateway" -d 'Run the local API gateway (started by `local up`; not for direct use)'
complete -c serverless-crud -n "__fish_serverless_crud_using_subcommand help; and __fish_seen_subcommand_from cors" -f -a "check" -d 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result'
