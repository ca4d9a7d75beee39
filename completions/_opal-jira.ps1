
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'opal-jira' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'opal-jira'
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
        'opal-jira' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Set up the Jira connection and save it in the OS keyring')
            [CompletionResult]::new('tickets', 'tickets', [CompletionResultType]::ParameterValue, 'Find the Jira tickets assigned to you')
            [CompletionResult]::new('resources', 'resources', [CompletionResultType]::ParameterValue, 'Manage the resources that access can be requested for')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Request access to a resource, and grant it')
            [CompletionResult]::new('requests', 'requests', [CompletionResultType]::ParameterValue, 'List and inspect access requests; bind one to a ticket or extend it')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End one active request now')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'End access that expired or whose ticket closed (run it from cron)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check everything the setup depends on, and how to fix what is broken')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log, oldest first (JSON Lines with --output json)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;configure' {
            [CompletionResult]::new('--deployment', '--deployment', [CompletionResultType]::ParameterName, 'Jira deployment: `cloud` or `datacenter`')
            [CompletionResult]::new('--workspace', '--workspace', [CompletionResultType]::ParameterName, 'Cloud workspace name (`acme` means https://acme.atlassian.net)')
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'Site base URL (required for Data Center; replaces --workspace on Cloud)')
            [CompletionResult]::new('--project', '--project', [CompletionResultType]::ParameterName, 'Key of the project that tickets belong to, e.g. OPS')
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'Your Jira email (required for Cloud, optional for Data Center)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, 'Read the API token (Cloud) or personal access token (Data Center) from stdin')
            [CompletionResult]::new('--no-verify', '--no-verify', [CompletionResultType]::ParameterName, 'Save without checking the connection against Jira')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the effective connection (token redacted) and where it comes from')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete the profile''s keyring entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;configure;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;configure;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;configure;help' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the effective connection (token redacted) and where it comes from')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete the profile''s keyring entry')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;configure;help;show' {
            break
        }
        'opal-jira;configure;help;remove' {
            break
        }
        'opal-jira;configure;help;help' {
            break
        }
        'opal-jira;tickets' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'List the open tickets in the project assigned to you, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one ticket')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;tickets;search' {
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N tickets')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('--all-statuses', '--all-statuses', [CompletionResultType]::ParameterName, 'Include tickets whose status category is Done')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;tickets;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;tickets;help' {
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'List the open tickets in the project assigned to you, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one ticket')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;tickets;help;search' {
            break
        }
        'opal-jira;tickets;help;show' {
            break
        }
        'opal-jira;tickets;help;help' {
            break
        }
        'opal-jira;resources' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a resource and the commands that grant and revoke access to it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered resources')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a resource (it must have no active requests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;resources;add' {
            [CompletionResult]::new('--revoke', '--revoke', [CompletionResultType]::ParameterName, 'Command that revokes access, split like shell words (no shell runs it)')
            [CompletionResult]::new('--grant', '--grant', [CompletionResultType]::ParameterName, 'Command that grants access (same placeholders, except {reason})')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the resource is, for people choosing one')
            [CompletionResult]::new('--max-expire', '--max-expire', [CompletionResultType]::ParameterName, 'Longest access that may be requested, e.g. 8h or 1w (default: no limit)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each grant or revoke command')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;resources;list' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;resources;remove' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;resources;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a resource and the commands that grant and revoke access to it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered resources')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a resource (it must have no active requests)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;resources;help;add' {
            break
        }
        'opal-jira;resources;help;list' {
            break
        }
        'opal-jira;resources;help;remove' {
            break
        }
        'opal-jira;resources;help;help' {
            break
        }
        'opal-jira;request' {
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Resource to access (may be left out when only one exists)')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Bind the access to this ticket (it must be assigned to the requester)')
            [CompletionResult]::new('--issue-type', '--issue-type', [CompletionResultType]::ParameterName, 'Issue type of the ticket --create-ticket creates outside Jira Service Management projects [default: Task]')
            [CompletionResult]::new('--for', '--for', [CompletionResultType]::ParameterName, 'Request on behalf of this person (they become the requester)')
            [CompletionResult]::new('--expire', '--expire', [CompletionResultType]::ParameterName, 'How long access lasts, e.g. 8h, 2d or 1h30m')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'When access ends (RFC 3339, e.g. 2026-12-24T18:00:00Z)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why access is needed (kept in the request and the audit log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('--create-ticket', '--create-ticket', [CompletionResultType]::ParameterName, 'Create a ticket for this request in the configured project and bind it (in a Jira Service Management project: a request of type `Access Change - Opal`, with the requester as reporter)')
            [CompletionResult]::new('--indefinite', '--indefinite', [CompletionResultType]::ParameterName, 'No expiry: access ends only when the ticket closes (needs --ticket or --create-ticket)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;requests' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List requests (active ones unless --all), newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one request')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind an active request to a ticket (the same ticket rules as `request`)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move the expiry of an active request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;requests;list' {
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only requests for this resource')
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Only requests bound to this ticket')
            [CompletionResult]::new('--expiring-within', '--expiring-within', [CompletionResultType]::ParameterName, 'Only active requests that end within this time, e.g. 2h')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'Show at most N requests, the newest (default: all)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Include revoked and failed requests')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;requests;show' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;requests;bind' {
            [CompletionResult]::new('--ticket', '--ticket', [CompletionResultType]::ParameterName, 'Ticket key, e.g. OPS-12')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;requests;extend' {
            [CompletionResult]::new('--expire', '--expire', [CompletionResultType]::ParameterName, 'New duration, counted from now, e.g. 4h')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'New expiry time (RFC 3339)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;requests;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List requests (active ones unless --all), newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one request')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind an active request to a ticket (the same ticket rules as `request`)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move the expiry of an active request')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;requests;help;list' {
            break
        }
        'opal-jira;requests;help;show' {
            break
        }
        'opal-jira;requests;help;bind' {
            break
        }
        'opal-jira;requests;help;extend' {
            break
        }
        'opal-jira;requests;help;help' {
            break
        }
        'opal-jira;revoke' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (kept in the audit log)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;reconcile' {
            [CompletionResult]::new('--jobs', '--jobs', [CompletionResultType]::ParameterName, 'How many revoke commands may run at once')
            [CompletionResult]::new('--jira-budget', '--jira-budget', [CompletionResultType]::ParameterName, 'The most time the pass spends asking Jira; tickets not checked by then are reported as unchecked, and expiry is enforced regardless')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for another pass on the same database to finish (0 = not at all)')
            [CompletionResult]::new('--jira-concurrency', '--jira-concurrency', [CompletionResultType]::ParameterName, 'How many Jira requests may be in flight at once (halved while Jira answers 429)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Report what would be revoked, and change nothing')
            [CompletionResult]::new('--allow-mass-deletion', '--allow-mass-deletion', [CompletionResultType]::ParameterName, 'Revoke for deleted tickets even when many disappear at once (after checking that they really were deleted)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;doctor' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;log' {
            [CompletionResult]::new('--request', '--request', [CompletionResultType]::ParameterName, 'Only events of this request')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339)')
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;completions' {
            [CompletionResult]::new('--db', '--db', [CompletionResultType]::ParameterName, 'SQLite file holding resources, requests and the audit log')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Jira connection profile to use (one keyring entry each)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: a table for people or JSON for scripts')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt (implied when stdin is not a terminal)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'opal-jira;help' {
            [CompletionResult]::new('configure', 'configure', [CompletionResultType]::ParameterValue, 'Set up the Jira connection and save it in the OS keyring')
            [CompletionResult]::new('tickets', 'tickets', [CompletionResultType]::ParameterValue, 'Find the Jira tickets assigned to you')
            [CompletionResult]::new('resources', 'resources', [CompletionResultType]::ParameterValue, 'Manage the resources that access can be requested for')
            [CompletionResult]::new('request', 'request', [CompletionResultType]::ParameterValue, 'Request access to a resource, and grant it')
            [CompletionResult]::new('requests', 'requests', [CompletionResultType]::ParameterValue, 'List and inspect access requests; bind one to a ticket or extend it')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'End one active request now')
            [CompletionResult]::new('reconcile', 'reconcile', [CompletionResultType]::ParameterValue, 'End access that expired or whose ticket closed (run it from cron)')
            [CompletionResult]::new('doctor', 'doctor', [CompletionResultType]::ParameterValue, 'Check everything the setup depends on, and how to fix what is broken')
            [CompletionResult]::new('log', 'log', [CompletionResultType]::ParameterValue, 'Show the audit log, oldest first (JSON Lines with --output json)')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'opal-jira;help;configure' {
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the effective connection (token redacted) and where it comes from')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete the profile''s keyring entry')
            break
        }
        'opal-jira;help;configure;show' {
            break
        }
        'opal-jira;help;configure;remove' {
            break
        }
        'opal-jira;help;tickets' {
            [CompletionResult]::new('search', 'search', [CompletionResultType]::ParameterValue, 'List the open tickets in the project assigned to you, most recently updated first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one ticket')
            break
        }
        'opal-jira;help;tickets;search' {
            break
        }
        'opal-jira;help;tickets;show' {
            break
        }
        'opal-jira;help;resources' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Register a resource and the commands that grant and revoke access to it')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the registered resources')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a resource (it must have no active requests)')
            break
        }
        'opal-jira;help;resources;add' {
            break
        }
        'opal-jira;help;resources;list' {
            break
        }
        'opal-jira;help;resources;remove' {
            break
        }
        'opal-jira;help;request' {
            break
        }
        'opal-jira;help;requests' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List requests (active ones unless --all), newest first')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one request')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Bind an active request to a ticket (the same ticket rules as `request`)')
            [CompletionResult]::new('extend', 'extend', [CompletionResultType]::ParameterValue, 'Move the expiry of an active request')
            break
        }
        'opal-jira;help;requests;list' {
            break
        }
        'opal-jira;help;requests;show' {
            break
        }
        'opal-jira;help;requests;bind' {
            break
        }
        'opal-jira;help;requests;extend' {
            break
        }
        'opal-jira;help;revoke' {
            break
        }
        'opal-jira;help;reconcile' {
            break
        }
        'opal-jira;help;doctor' {
            break
        }
        'opal-jira;help;log' {
            break
        }
        'opal-jira;help;completions' {
            break
        }
        'opal-jira;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
