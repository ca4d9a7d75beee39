
use builtin;
use str;

set edit:completion:arg-completer[opal-jira] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'opal-jira'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'opal-jira'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand configure 'Set up the Jira connection and save it in the OS keyring'
            cand tickets 'Find the Jira tickets assigned to you'
            cand resources 'Manage the resources that access can be requested for'
            cand request 'Request access to a resource, and grant it'
            cand requests 'List and inspect access requests; bind one to a ticket or extend it'
            cand revoke 'End one active request now'
            cand reconcile 'End access that expired or whose ticket closed (run it from cron)'
            cand doctor 'Check everything the setup depends on, and how to fix what is broken'
            cand log 'Show the audit log, oldest first (JSON Lines with --output json)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;configure'= {
            cand --deployment 'Jira deployment: `cloud` or `datacenter`'
            cand --workspace 'Cloud workspace name (`acme` means https://acme.atlassian.net)'
            cand --url 'Site base URL (required for Data Center; replaces --workspace on Cloud)'
            cand --project 'Key of the project that tickets belong to, e.g. OPS'
            cand --email 'Your Jira email (required for Cloud, optional for Data Center)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand --token-stdin 'Read the API token (Cloud) or personal access token (Data Center) from stdin'
            cand --no-verify 'Save without checking the connection against Jira'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand show 'Show the effective connection (token redacted) and where it comes from'
            cand remove 'Delete the profile''s keyring entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;configure;show'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;configure;remove'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;configure;help'= {
            cand show 'Show the effective connection (token redacted) and where it comes from'
            cand remove 'Delete the profile''s keyring entry'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;configure;help;show'= {
        }
        &'opal-jira;configure;help;remove'= {
        }
        &'opal-jira;configure;help;help'= {
        }
        &'opal-jira;tickets'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand search 'List the open tickets in the project assigned to you, most recently updated first'
            cand show 'Show one ticket'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;tickets;search'= {
            cand --limit 'Show at most N tickets'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand --all-statuses 'Include tickets whose status category is Done'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;tickets;show'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;tickets;help'= {
            cand search 'List the open tickets in the project assigned to you, most recently updated first'
            cand show 'Show one ticket'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;tickets;help;search'= {
        }
        &'opal-jira;tickets;help;show'= {
        }
        &'opal-jira;tickets;help;help'= {
        }
        &'opal-jira;resources'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand add 'Register a resource and the commands that grant and revoke access to it'
            cand list 'List the registered resources'
            cand remove 'Remove a resource (it must have no active requests)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;resources;add'= {
            cand --revoke 'Command that revokes access, split like shell words (no shell runs it)'
            cand --grant 'Command that grants access (same placeholders, except {reason})'
            cand --description 'What the resource is, for people choosing one'
            cand --max-expire 'Longest access that may be requested, e.g. 8h or 1w (default: no limit)'
            cand --timeout 'Time limit for each grant or revoke command'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;resources;list'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;resources;remove'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;resources;help'= {
            cand add 'Register a resource and the commands that grant and revoke access to it'
            cand list 'List the registered resources'
            cand remove 'Remove a resource (it must have no active requests)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;resources;help;add'= {
        }
        &'opal-jira;resources;help;list'= {
        }
        &'opal-jira;resources;help;remove'= {
        }
        &'opal-jira;resources;help;help'= {
        }
        &'opal-jira;request'= {
            cand --resource 'Resource to access (may be left out when only one exists)'
            cand --ticket 'Bind the access to this ticket (it must be assigned to the requester)'
            cand --issue-type 'Issue type of the ticket --create-ticket creates outside Jira Service Management projects [default: Task]'
            cand --for 'Request on behalf of this person (they become the requester)'
            cand --expire 'How long access lasts, e.g. 8h, 2d or 1h30m'
            cand --until 'When access ends (RFC 3339, e.g. 2026-12-24T18:00:00Z)'
            cand --reason 'Why access is needed (kept in the request and the audit log)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand --create-ticket 'Create a ticket for this request in the configured project and bind it (in a Jira Service Management project: a request of type `Access Change - Opal`, with the requester as reporter)'
            cand --indefinite 'No expiry: access ends only when the ticket closes (needs --ticket or --create-ticket)'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;requests'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List requests (active ones unless --all), newest first'
            cand show 'Show one request'
            cand bind 'Bind an active request to a ticket (the same ticket rules as `request`)'
            cand extend 'Move the expiry of an active request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;requests;list'= {
            cand --resource 'Only requests for this resource'
            cand --ticket 'Only requests bound to this ticket'
            cand --expiring-within 'Only active requests that end within this time, e.g. 2h'
            cand --limit 'Show at most N requests, the newest (default: all)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand --all 'Include revoked and failed requests'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;requests;show'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;requests;bind'= {
            cand --ticket 'Ticket key, e.g. OPS-12'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;requests;extend'= {
            cand --expire 'New duration, counted from now, e.g. 4h'
            cand --until 'New expiry time (RFC 3339)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;requests;help'= {
            cand list 'List requests (active ones unless --all), newest first'
            cand show 'Show one request'
            cand bind 'Bind an active request to a ticket (the same ticket rules as `request`)'
            cand extend 'Move the expiry of an active request'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;requests;help;list'= {
        }
        &'opal-jira;requests;help;show'= {
        }
        &'opal-jira;requests;help;bind'= {
        }
        &'opal-jira;requests;help;extend'= {
        }
        &'opal-jira;requests;help;help'= {
        }
        &'opal-jira;revoke'= {
            cand --reason 'Why (kept in the audit log)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;reconcile'= {
            cand --jobs 'How many revoke commands may run at once'
            cand --jira-budget 'The most time the pass spends asking Jira; tickets not checked by then are reported as unchecked, and expiry is enforced regardless'
            cand --wait 'How long to wait for another pass on the same database to finish (0 = not at all)'
            cand --jira-concurrency 'How many Jira requests may be in flight at once (halved while Jira answers 429)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand --dry-run 'Report what would be revoked, and change nothing'
            cand --allow-mass-deletion 'Revoke for deleted tickets even when many disappear at once (after checking that they really were deleted)'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;doctor'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;log'= {
            cand --request 'Only events of this request'
            cand --since 'Only events at or after this time (RFC 3339)'
            cand --until 'Only events before this time (RFC 3339)'
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;completions'= {
            cand --db 'SQLite file holding resources, requests and the audit log'
            cand --profile 'Jira connection profile to use (one keyring entry each)'
            cand --output 'Output format: a table for people or JSON for scripts'
            cand --color 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`'
            cand -v 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand --verbose 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
            cand -q 'Print only results and errors'
            cand --quiet 'Print only results and errors'
            cand --no-input 'Never prompt (implied when stdin is not a terminal)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'opal-jira;help'= {
            cand configure 'Set up the Jira connection and save it in the OS keyring'
            cand tickets 'Find the Jira tickets assigned to you'
            cand resources 'Manage the resources that access can be requested for'
            cand request 'Request access to a resource, and grant it'
            cand requests 'List and inspect access requests; bind one to a ticket or extend it'
            cand revoke 'End one active request now'
            cand reconcile 'End access that expired or whose ticket closed (run it from cron)'
            cand doctor 'Check everything the setup depends on, and how to fix what is broken'
            cand log 'Show the audit log, oldest first (JSON Lines with --output json)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'opal-jira;help;configure'= {
            cand show 'Show the effective connection (token redacted) and where it comes from'
            cand remove 'Delete the profile''s keyring entry'
        }
        &'opal-jira;help;configure;show'= {
        }
        &'opal-jira;help;configure;remove'= {
        }
        &'opal-jira;help;tickets'= {
            cand search 'List the open tickets in the project assigned to you, most recently updated first'
            cand show 'Show one ticket'
        }
        &'opal-jira;help;tickets;search'= {
        }
        &'opal-jira;help;tickets;show'= {
        }
        &'opal-jira;help;resources'= {
            cand add 'Register a resource and the commands that grant and revoke access to it'
            cand list 'List the registered resources'
            cand remove 'Remove a resource (it must have no active requests)'
        }
        &'opal-jira;help;resources;add'= {
        }
        &'opal-jira;help;resources;list'= {
        }
        &'opal-jira;help;resources;remove'= {
        }
        &'opal-jira;help;request'= {
        }
        &'opal-jira;help;requests'= {
            cand list 'List requests (active ones unless --all), newest first'
            cand show 'Show one request'
            cand bind 'Bind an active request to a ticket (the same ticket rules as `request`)'
            cand extend 'Move the expiry of an active request'
        }
        &'opal-jira;help;requests;list'= {
        }
        &'opal-jira;help;requests;show'= {
        }
        &'opal-jira;help;requests;bind'= {
        }
        &'opal-jira;help;requests;extend'= {
        }
        &'opal-jira;help;revoke'= {
        }
        &'opal-jira;help;reconcile'= {
        }
        &'opal-jira;help;doctor'= {
        }
        &'opal-jira;help;log'= {
        }
        &'opal-jira;help;completions'= {
        }
        &'opal-jira;help;help'= {
        }
    ]
    $completions[$command]
}
