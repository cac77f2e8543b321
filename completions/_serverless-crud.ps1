
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'serverless-crud' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'serverless-crud'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'serverless-crud' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Put an item (PutItem)')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Get an item by key (GetItem)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update an item (UpdateItem) with --set/--remove/--add or an --expression')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an item by key (DeleteItem)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Scan a table (Scan), one page or --all')
            [CompletionResult]::new('echo', 'echo', [CompletionResultType]::ParameterValue, 'Send a payload and get it back (checks the event path end to end)')
            [CompletionResult]::new('ping', 'ping', [CompletionResultType]::ParameterValue, 'Ping the dispatcher and show the round-trip time')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a raw event file (or - for stdin), e.g. the tutorial''s Postman bodies')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the whole pattern: tables, role, function, REST API, stage (idempotent)')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Publish a new version and move alias `live` to it (or weight it)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Give the weighted new version all of alias `live`')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Move alias `live` back: off the weighted version, or to the previous')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a stack''s resources, drift and live latency through each transport')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove everything setup made (from the state file or by discovery)')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Bulk-load JSON, JSONL or CSV: streamed, concurrent, resumable, lossless')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a table to JSON lines, JSON, CSV or DynamoDB JSON: parallel, resumable, exact')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign a user in to the stack''s Cognito user pool (--auth cognito); its token is sent')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'A stack''s log lines, function and API, joined by request id (--follow to tail)')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'A stack''s invocations, errors, latency and API status classes, per operation too')
            [CompletionResult]::new('local', 'local', [CompletionResultType]::ParameterValue, 'Run an offline AWS: moto + the Lambda emulator + the dispatcher')
            [CompletionResult]::new('cors', 'cors', [CompletionResultType]::ParameterValue, 'A browser''s view of the stack''s API: the CORS preflight and the call, explained')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check credentials, region, clock, Python, ports and the local stack, with fixes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man-pages', 'man-pages', [CompletionResultType]::ParameterValue, 'Write the man pages (generated from these definitions) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;create' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'The item: JSON, @FILE, or - for stdin')
            [CompletionResult]::new('--item', '--item', [CompletionResultType]::ParameterName, 'The item: JSON, @FILE, or - for stdin')
            [CompletionResult]::new('--condition', '--condition', [CompletionResultType]::ParameterName, 'ConditionExpression that must hold for the write')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'ExpressionAttributeNames as JSON, e.g. ''{"#s":"status"}''')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'ExpressionAttributeValues as JSON, e.g. ''{":v":1}''')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--if-absent', '--if-absent', [CompletionResultType]::ParameterName, 'Only create: fail with exit 4 if an item with this key exists')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;read' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--consistent', '--consistent', [CompletionResultType]::ParameterName, 'Strongly consistent read')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;update' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Set an attribute: NAME=VALUE (32 -> number, true -> bool, text -> string; NAME:s=32 forces a string); NAME may be a.b.c')
            [CompletionResult]::new('--remove', '--remove', [CompletionResultType]::ParameterName, 'Remove an attribute')
            [CompletionResult]::new('--add', '--add', [CompletionResultType]::ParameterName, 'Add to a number (NAME=1) or a set')
            [CompletionResult]::new('--expression', '--expression', [CompletionResultType]::ParameterName, 'A raw UpdateExpression instead of --set/--remove/--add (use --names/--values)')
            [CompletionResult]::new('--condition', '--condition', [CompletionResultType]::ParameterName, 'ConditionExpression that must hold for the write')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'ExpressionAttributeNames as JSON, e.g. ''{"#s":"status"}''')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'ExpressionAttributeValues as JSON, e.g. ''{":v":1}''')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--if-exists', '--if-exists', [CompletionResultType]::ParameterName, 'Only update an existing item (fail with exit 4 otherwise)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;delete' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-k', '-k', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--key', '--key', [CompletionResultType]::ParameterName, 'Key: NAME=VALUE (a string), NAME:n=VALUE (a number), or a JSON object; repeat for a sort key')
            [CompletionResult]::new('--condition', '--condition', [CompletionResultType]::ParameterName, 'ConditionExpression that must hold for the delete')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'ExpressionAttributeNames as JSON, e.g. ''{"#s":"status"}''')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'ExpressionAttributeValues as JSON, e.g. ''{":v":1}''')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;list' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Items evaluated per request (Scan Limit)')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'FilterExpression (use --names/--values for placeholders)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed')
            [CompletionResult]::new('--start-key', '--start-key', [CompletionResultType]::ParameterName, 'Start after this key (a previous page''s lastEvaluatedKey), JSON')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'ExpressionAttributeNames as JSON, e.g. ''{"#s":"status"}''')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'ExpressionAttributeValues as JSON, e.g. ''{":v":1}''')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Follow LastEvaluatedKey until the whole table is read')
            [CompletionResult]::new('--consistent', '--consistent', [CompletionResultType]::ParameterName, 'Strongly consistent scan')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;echo' {
            [CompletionResult]::new('-p', '-p', [CompletionResultType]::ParameterName, 'The payload: JSON, @FILE, or - for stdin')
            [CompletionResult]::new('--payload', '--payload', [CompletionResultType]::ParameterName, 'The payload: JSON, @FILE, or - for stdin')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;ping' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Number of pings (shows min/avg/p50/p99/max)')
            [CompletionResult]::new('--count', '--count', [CompletionResultType]::ParameterName, 'Number of pings (shows min/avg/p50/p99/max)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;send' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;setup' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable. Re-running adds new tables')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable. Re-running adds new tables')
            [CompletionResult]::new('--runtime', '--runtime', [CompletionResultType]::ParameterName, 'Lambda runtime of the dispatcher [default: python3.12, or as recorded]')
            [CompletionResult]::new('--memory', '--memory', [CompletionResultType]::ParameterName, 'Function memory in MB [default: 256, or as recorded]')
            [CompletionResult]::new('--function-timeout', '--function-timeout', [CompletionResultType]::ParameterName, 'Function timeout in seconds (API Gateway stops waiting at 29) [default: 30, or as recorded]')
            [CompletionResult]::new('--stage', '--stage', [CompletionResultType]::ParameterName, 'API Gateway stage name [default: v1, or as recorded]')
            [CompletionResult]::new('--log-retention', '--log-retention', [CompletionResultType]::ParameterName, 'Days CloudWatch keeps the function''s logs [default: 7, or as recorded]')
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Requests per second for --auth api-key (usage plan throttling) [default: 10, or as recorded]')
            [CompletionResult]::new('--burst', '--burst', [CompletionResultType]::ParameterName, 'Burst for --auth api-key (usage plan throttling) [default: 20, or as recorded]')
            [CompletionResult]::new('--dispatcher', '--dispatcher', [CompletionResultType]::ParameterName, 'Deploy this dispatcher file instead of the embedded one (e.g. the tutorial''s) [default: embedded, or as recorded]')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'How the REST API reaches the function [default: proxy, or as recorded]')
            [CompletionResult]::new('--api', '--api', [CompletionResultType]::ParameterName, 'The API in front: rest (API Gateway REST API) or http (HTTP API: IAM or no auth, native CORS) [default: rest, or as recorded]')
            [CompletionResult]::new('--routes', '--routes', [CompletionResultType]::ParameterName, 'The API''s routes: crud (POST /crud) or rest (also GET|POST /items/{table}, GET|PUT|PATCH|DELETE /items/{table}/{id}) [default: crud, or as recorded]')
            [CompletionResult]::new('--cors', '--cors', [CompletionResultType]::ParameterName, 'An origin browsers may call the API from (repeatable; `*` only with --allow-public): CORS preflights, headers on replies and on errors')
            [CompletionResult]::new('--authorizer', '--authorizer', [CompletionResultType]::ParameterName, 'With --auth lambda: the authorizer''s code (a Python file with lambda_handler returning an IAM policy) [default: as recorded]')
            [CompletionResult]::new('--authorizer-type', '--authorizer-type', [CompletionResultType]::ParameterName, 'With --auth lambda: token (one header) or request (headers, query, stage variables; HTTP APIs: request only) [default: token (HTTP APIs: request), or as recorded]')
            [CompletionResult]::new('--identity-source', '--identity-source', [CompletionResultType]::ParameterName, 'With --auth lambda: where the identity is read, comma-separated header:NAME, query:NAME, stage:NAME [default: header:Authorization, or as recorded]')
            [CompletionResult]::new('--authorizer-ttl', '--authorizer-ttl', [CompletionResultType]::ParameterName, 'With --auth lambda: seconds API Gateway caches the authorizer''s answer per identity, 0 = off [default: 300, or as recorded]')
            [CompletionResult]::new('--authorizer-payload', '--authorizer-payload', [CompletionResultType]::ParameterName, 'With --api http --auth lambda: the event''s payload format, 1.0 or 2.0 [default: 2.0, or as recorded]')
            [CompletionResult]::new('--method-auth', '--method-auth', [CompletionResultType]::ParameterName, 'One method''s auth instead of the stack''s: VERB=AUTH[+api-key], e.g. DELETE=lambda+api-key (repeatable; REST APIs) [default: as recorded]')
            [CompletionResult]::new('--jwt-issuer', '--jwt-issuer', [CompletionResultType]::ParameterName, 'With --auth jwt: the token issuer (`iss`; its keys by OIDC discovery) [default: the local stack''s issuer locally, or as recorded]')
            [CompletionResult]::new('--jwt-audience', '--jwt-audience', [CompletionResultType]::ParameterName, 'With --auth jwt: an accepted audience (`aud`, or `client_id` without one); repeatable [default: serverless-crud locally, or as recorded]')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'With --auth jwt: a scope the routes require (a token needs one of them); repeatable [default: none, or as recorded]')
            [CompletionResult]::new('--local-workers', '--local-workers', [CompletionResultType]::ParameterName, 'Runtime workers for the stack''s function on the local stack')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--allow-public', '--allow-public', [CompletionResultType]::ParameterName, 'Required with --auth none: the API will be open to the internet')
            [CompletionResult]::new('--simple-responses', '--simple-responses', [CompletionResultType]::ParameterName, 'With --api http --auth lambda (payload 2.0): the authorizer answers {"isAuthorized": true|false, "context": {…}} instead of an IAM policy')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;deploy' {
            [CompletionResult]::new('--dispatcher', '--dispatcher', [CompletionResultType]::ParameterName, 'The dispatcher to publish (a Python file with lambda_handler) [default: the stack''s recorded one, else the embedded dispatcher]')
            [CompletionResult]::new('--alias-weight', '--alias-weight', [CompletionResultType]::ParameterName, 'Send this share of invocations (0 < W < 1) to the new version; the rest stays on the current one until `promote` or `rollback`')
            [CompletionResult]::new('--canary', '--canary', [CompletionResultType]::ParameterName, 'A canary deployment on the REST stage: this percentage of the stage''s requests runs the new version (its stage variable `alias` overridden)')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Published versions to keep; older ones the alias does not use are deleted')
            [CompletionResult]::new('--local-workers', '--local-workers', [CompletionResultType]::ParameterName, 'Runtime workers for the new version on the local stack')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;promote' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--finish', '--finish', [CompletionResultType]::ParameterName, 'With a canary: also remove the stage''s canary settings (AWS''s promotion leaves them, at 0%)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;rollback' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;status' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--show-api-key', '--show-api-key', [CompletionResultType]::ParameterName, 'Print the API key value (api-key stacks)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;teardown' {
            [CompletionResult]::new('--backup', '--backup', [CompletionResultType]::ParameterName, 'Where backups of tables holding items go: a file (default) or a DynamoDB on-demand backup')
            [CompletionResult]::new('--backup-dir', '--backup-dir', [CompletionResultType]::ParameterName, 'Directory for backup files [default: STATE_DIR/backups/STACK]')
            [CompletionResult]::new('--backup-max', '--backup-max', [CompletionResultType]::ParameterName, 'Tables larger than this are kept rather than backed up to a file (e.g. 500MB, 2GB)')
            [CompletionResult]::new('--api-delete-interval', '--api-delete-interval', [CompletionResultType]::ParameterName, 'Seconds between REST API deletions (AWS allows one per 30 s per account) [default: 30; 0 locally]')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Every stack this tool made in the region (workshop cleanup)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask; required when there is no terminal')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask; required when there is no terminal')
            [CompletionResult]::new('--keep-tables', '--keep-tables', [CompletionResultType]::ParameterName, 'Keep the tables and their data')
            [CompletionResult]::new('--no-backup', '--no-backup', [CompletionResultType]::ParameterName, 'Delete tables that hold items without keeping a copy')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;seed' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Input file, or - for stdin (with --format)')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Input file, or - for stdin (with --format)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Input format [default: from the extension: .json, .jsonl/.ndjson, .csv]')
            [CompletionResult]::new('--types', '--types', [CompletionResultType]::ParameterName, 'CSV column types, e.g. age:n,active:bool,tags:json (others are strings)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Requests in flight at most, lowered automatically while throttled [default: 16; 4 on the local stack, where moto slows down with more]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Requests in flight at most, lowered automatically while throttled [default: 16; 4 on the local stack, where moto slows down with more]')
            [CompletionResult]::new('--batch-size', '--batch-size', [CompletionResultType]::ParameterName, 'Items per request [default: 25 with --direct, 100 through the dispatcher]')
            [CompletionResult]::new('--rejects', '--rejects', [CompletionResultType]::ParameterName, 'Where rejected records go: a new file (never overwritten) [default: in the state dir, printed]')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'How items get in [default: dispatcher]: the dispatcher''s batch, BatchWriteItem directly, or DynamoDB''s ImportTable from S3 (a new table; --bucket, --key-attr)')
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 's3-import: the bucket the input is uploaded to for ImportTable')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 's3-import: a key prefix in the bucket')
            [CompletionResult]::new('--key-attr', '--key-attr', [CompletionResultType]::ParameterName, 'The table''s key attributes, NAME[:S|N|B] (hash, then range) [default: read from the table]')
            [CompletionResult]::new('--max-attempts', '--max-attempts', [CompletionResultType]::ParameterName, 'Attempts per request; then the seed stops with a checkpoint (records are never rejected for an outage)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted seed of the same file into the same table')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Short for --engine direct: BatchWriteItem straight to DynamoDB (needs table permissions)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;export' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Table name')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output file, or - for standard output; .gz compresses')
            [CompletionResult]::new('--file', '--file', [CompletionResultType]::ParameterName, 'Output file, or - for standard output; .gz compresses')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format [default: from the extension (.ddb.jsonl, .jsonl, .json, .csv), else jsonl]')
            [CompletionResult]::new('--segments', '--segments', [CompletionResultType]::ParameterName, 'Parallel Scan segments read at once [default: 4; 1 on the local stack, where moto walks the whole table for every segment]')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'FilterExpression (use --names/--values for placeholders)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'Keep items where NAME equals VALUE (typed like --set); repeatable, ANDed')
            [CompletionResult]::new('--names', '--names', [CompletionResultType]::ParameterName, 'ExpressionAttributeNames as JSON, e.g. ''{"#s":"status"}''')
            [CompletionResult]::new('--values', '--values', [CompletionResultType]::ParameterName, 'ExpressionAttributeValues as JSON, e.g. ''{":v":1}''')
            [CompletionResult]::new('--page-size', '--page-size', [CompletionResultType]::ParameterName, 'Items evaluated per Scan request (Limit) [default: none, DynamoDB ends each page at 1 MB; 1000 through the dispatcher on AWS]')
            [CompletionResult]::new('--engine', '--engine', [CompletionResultType]::ParameterName, 'Where the items come from [default: dispatcher]')
            [CompletionResult]::new('--bucket', '--bucket', [CompletionResultType]::ParameterName, 's3-export: the bucket AWS writes the export to')
            [CompletionResult]::new('--prefix', '--prefix', [CompletionResultType]::ParameterName, 's3-export: a key prefix in the bucket')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--consistent', '--consistent', [CompletionResultType]::ParameterName, 'Strongly consistent scan')
            [CompletionResult]::new('--resume', '--resume', [CompletionResultType]::ParameterName, 'Continue an interrupted export to the same file')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace FILE if it exists')
            [CompletionResult]::new('--direct', '--direct', [CompletionResultType]::ParameterName, 'Short for --engine direct')
            [CompletionResult]::new('--keep-in-s3', '--keep-in-s3', [CompletionResultType]::ParameterName, 's3-export: leave the export in S3 (print where) instead of downloading it')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user of the stack''s user pool to sign in')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--create', '--create', [CompletionResultType]::ParameterName, 'Make the user first, with the password given as its permanent one (an admin call: your AWS credentials)')
            [CompletionResult]::new('--print-token', '--print-token', [CompletionResultType]::ParameterName, 'Also print the ID token on stdout, alone (`JWT=$(… login --print-token)`)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;logs' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From when: a duration back (30s, 10m, 1h, 2d) or an RFC 3339 time')
            [CompletionResult]::new('--filter', '--filter', [CompletionResultType]::ParameterName, 'Only lines containing TEXT')
            [CompletionResult]::new('--request-id', '--request-id', [CompletionResultType]::ParameterName, 'Only one request''s lines (its Lambda or API request id): START … REPORT and its API line')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'Which log groups')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing new lines as they come (Ctrl-C ends it)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing new lines as they come (Ctrl-C ends it)')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;metrics' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'From when: a duration back (30m, 1h, 2d) or an RFC 3339 time')
            [CompletionResult]::new('--period', '--period', [CompletionResultType]::ParameterName, 'Seconds per data point of the series (a multiple of 60)')
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'Also split the function''s figures: by executed version (a release''s alias side by side: invocations, errors, p50/p99)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show endpoints, processes, functions and tables')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Stop exactly the processes `up` started')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Only create the Python venv with the pinned emulator packages')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a token signed by the local issuer, for --auth jwt stacks')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run the local API gateway (started by `local up`; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;local;up' {
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'Create a table: NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable')
            [CompletionResult]::new('--table', '--table', [CompletionResultType]::ParameterName, 'Create a table: NAME[:KEY[:S|N|B]] (key defaults to id:S); repeatable')
            [CompletionResult]::new('--moto-port', '--moto-port', [CompletionResultType]::ParameterName, 'Port for moto server (0 picks a free one)')
            [CompletionResult]::new('--lambda-port', '--lambda-port', [CompletionResultType]::ParameterName, 'Port for the Lambda emulator (0 picks a free one)')
            [CompletionResult]::new('--gateway-port', '--gateway-port', [CompletionResultType]::ParameterName, 'Port for the local API gateway (0 picks a free one)')
            [CompletionResult]::new('--workers', '--workers', [CompletionResultType]::ParameterName, 'Runtime workers (concurrent executions) for the function')
            [CompletionResult]::new('--dispatcher', '--dispatcher', [CompletionResultType]::ParameterName, 'Run this dispatcher file instead of the embedded one (e.g. the tutorial''s)')
            [CompletionResult]::new('--integration', '--integration', [CompletionResultType]::ParameterName, 'How function-URL (API transport) requests reach the dispatcher')
            [CompletionResult]::new('--seed', '--seed', [CompletionResultType]::ParameterName, 'Seed the gateway''s random choices (canary share, alias weights) so a split is reproducible')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--no-telemetry', '--no-telemetry', [CompletionResultType]::ParameterName, 'Do not emit function and API logs and metrics into the local CloudWatch')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;status' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;down' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;install' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;token' {
            [CompletionResult]::new('--subject', '--subject', [CompletionResultType]::ParameterName, '`sub`')
            [CompletionResult]::new('--audience', '--audience', [CompletionResultType]::ParameterName, '`aud` (repeatable) [default: serverless-crud, or none with --client-id alone]')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, '`client_id` (as Cognito access tokens carry it)')
            [CompletionResult]::new('--scope', '--scope', [CompletionResultType]::ParameterName, 'A scope (repeatable; `scope`, space-separated)')
            [CompletionResult]::new('--expires-in', '--expires-in', [CompletionResultType]::ParameterName, 'Lifetime: 30s, 15m, 1h, 2d (negative, e.g. -1m: already expired)')
            [CompletionResult]::new('--not-before', '--not-before', [CompletionResultType]::ParameterName, 'Not valid before this long from now (`nbf`)')
            [CompletionResult]::new('--claim', '--claim', [CompletionResultType]::ParameterName, 'Another claim NAME=VALUE (VALUE as JSON if it parses; null removes the claim)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;gateway' {
            [CompletionResult]::new('--port', '--port', [CompletionResultType]::ParameterName, 'port')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;local;help' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show endpoints, processes, functions and tables')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Stop exactly the processes `up` started')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Only create the Python venv with the pinned emulator packages')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a token signed by the local issuer, for --auth jwt stacks')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run the local API gateway (started by `local up`; not for direct use)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;local;help;up' {
            break
        }
        'serverless-crud;local;help;status' {
            break
        }
        'serverless-crud;local;help;down' {
            break
        }
        'serverless-crud;local;help;install' {
            break
        }
        'serverless-crud;local;help;token' {
            break
        }
        'serverless-crud;local;help;gateway' {
            break
        }
        'serverless-crud;local;help;help' {
            break
        }
        'serverless-crud;cors' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;cors;check' {
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'The page''s origin, as the browser sends it (https://app.example.com)')
            [CompletionResult]::new('--method', '--method', [CompletionResultType]::ParameterName, 'The method the page uses [default: GET with --routes rest, else POST (to /crud)]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header the page adds (repeatable)')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;cors;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;cors;help;check' {
            break
        }
        'serverless-crud;cors;help;help' {
            break
        }
        'serverless-crud;doctor' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;completions' {
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;man-pages' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'Where to write serverless-crud.1, serverless-crud-seed.1, ...')
            [CompletionResult]::new('--endpoint', '--endpoint', [CompletionResultType]::ParameterName, 'API Gateway stage URL to POST events to (https://ID.execute-api.REGION.amazonaws.com/STAGE/PATH)')
            [CompletionResult]::new('--function', '--function', [CompletionResultType]::ParameterName, 'Lambda function to invoke directly (name or ARN)')
            [CompletionResult]::new('--stack', '--stack', [CompletionResultType]::ParameterName, 'Stack made by `setup` whose endpoint and function to use [default: default]')
            [CompletionResult]::new('--via', '--via', [CompletionResultType]::ParameterName, 'Transport when both an endpoint and a function are known [default: api]')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How the API transport authenticates [default: api-key if a key is given, else iam]')
            [CompletionResult]::new('--api-key', '--api-key', [CompletionResultType]::ParameterName, 'API key for --auth api-key (never printed)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'Token for --auth lambda, sent as `Authorization: Bearer TOKEN` (never printed)')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile (default: AWS_PROFILE, then the default profile)')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region (default: AWS_REGION, then the profile''s region)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Seconds to wait for one request')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format [default: text on a terminal, json otherwise]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Use the local stack (see `local up`) for every AWS call')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results (no progress or notes on stderr)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr (-v: requests and timings, -vv: wire events)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Change nothing: print the event that would be sent, or the plan')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'serverless-crud;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Put an item (PutItem)')
            [CompletionResult]::new('read', 'read', [CompletionResultType]::ParameterValue, 'Get an item by key (GetItem)')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Update an item (UpdateItem) with --set/--remove/--add or an --expression')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an item by key (DeleteItem)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Scan a table (Scan), one page or --all')
            [CompletionResult]::new('echo', 'echo', [CompletionResultType]::ParameterValue, 'Send a payload and get it back (checks the event path end to end)')
            [CompletionResult]::new('ping', 'ping', [CompletionResultType]::ParameterValue, 'Ping the dispatcher and show the round-trip time')
            [CompletionResult]::new('send', 'send', [CompletionResultType]::ParameterValue, 'Send a raw event file (or - for stdin), e.g. the tutorial''s Postman bodies')
            [CompletionResult]::new('setup', 'setup', [CompletionResultType]::ParameterValue, 'Create the whole pattern: tables, role, function, REST API, stage (idempotent)')
            [CompletionResult]::new('deploy', 'deploy', [CompletionResultType]::ParameterValue, 'Publish a new version and move alias `live` to it (or weight it)')
            [CompletionResult]::new('promote', 'promote', [CompletionResultType]::ParameterValue, 'Give the weighted new version all of alias `live`')
            [CompletionResult]::new('rollback', 'rollback', [CompletionResultType]::ParameterValue, 'Move alias `live` back: off the weighted version, or to the previous')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show a stack''s resources, drift and live latency through each transport')
            [CompletionResult]::new('teardown', 'teardown', [CompletionResultType]::ParameterValue, 'Remove everything setup made (from the state file or by discovery)')
            [CompletionResult]::new('seed', 'seed', [CompletionResultType]::ParameterValue, 'Bulk-load JSON, JSONL or CSV: streamed, concurrent, resumable, lossless')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export a table to JSON lines, JSON, CSV or DynamoDB JSON: parallel, resumable, exact')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign a user in to the stack''s Cognito user pool (--auth cognito); its token is sent')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'A stack''s log lines, function and API, joined by request id (--follow to tail)')
            [CompletionResult]::new('metrics', 'metrics', [CompletionResultType]::ParameterValue, 'A stack''s invocations, errors, latency and API status classes, per operation too')
            [CompletionResult]::new('local', 'local', [CompletionResultType]::ParameterValue, 'Run an offline AWS: moto + the Lambda emulator + the dispatcher')
            [CompletionResult]::new('cors', 'cors', [CompletionResultType]::ParameterValue, 'A browser''s view of the stack''s API: the CORS preflight and the call, explained')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check credentials, region, clock, Python, ports and the local stack, with fixes')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('man-pages', 'man-pages', [CompletionResultType]::ParameterValue, 'Write the man pages (generated from these definitions) into a directory')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'serverless-crud;help;create' {
            break
        }
        'serverless-crud;help;read' {
            break
        }
        'serverless-crud;help;update' {
            break
        }
        'serverless-crud;help;delete' {
            break
        }
        'serverless-crud;help;list' {
            break
        }
        'serverless-crud;help;echo' {
            break
        }
        'serverless-crud;help;ping' {
            break
        }
        'serverless-crud;help;send' {
            break
        }
        'serverless-crud;help;setup' {
            break
        }
        'serverless-crud;help;deploy' {
            break
        }
        'serverless-crud;help;promote' {
            break
        }
        'serverless-crud;help;rollback' {
            break
        }
        'serverless-crud;help;status' {
            break
        }
        'serverless-crud;help;teardown' {
            break
        }
        'serverless-crud;help;seed' {
            break
        }
        'serverless-crud;help;export' {
            break
        }
        'serverless-crud;help;login' {
            break
        }
        'serverless-crud;help;logs' {
            break
        }
        'serverless-crud;help;metrics' {
            break
        }
        'serverless-crud;help;local' {
            [CompletionResult]::new('up', 'up', [CompletionResultType]::ParameterValue, 'Start moto, the Lambda emulator and dispatcher workers (harmless if already up)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show endpoints, processes, functions and tables')
            [CompletionResult]::new('down', 'down', [CompletionResultType]::ParameterValue, 'Stop exactly the processes `up` started')
            [CompletionResult]::new('install', 'install', [CompletionResultType]::ParameterValue, 'Only create the Python venv with the pinned emulator packages')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Print a token signed by the local issuer, for --auth jwt stacks')
            [CompletionResult]::new('gateway', 'gateway', [CompletionResultType]::ParameterValue, 'Run the local API gateway (started by `local up`; not for direct use)')
            break
        }
        'serverless-crud;help;local;up' {
            break
        }
        'serverless-crud;help;local;status' {
            break
        }
        'serverless-crud;help;local;down' {
            break
        }
        'serverless-crud;help;local;install' {
            break
        }
        'serverless-crud;help;local;token' {
            break
        }
        'serverless-crud;help;local;gateway' {
            break
        }
        'serverless-crud;help;cors' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Send the preflight and the call as a browser page on ORIGIN would, and explain the result')
            break
        }
        'serverless-crud;help;cors;check' {
            break
        }
        'serverless-crud;help;doctor' {
            break
        }
        'serverless-crud;help;completions' {
            break
        }
        'serverless-crud;help;man-pages' {
            break
        }
        'serverless-crud;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
