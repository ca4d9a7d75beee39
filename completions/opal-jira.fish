# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_opal_jira_global_optspecs
    string join \n db= profile= output= v/verbose q/quiet no-input color= h/help V/version
end

function __fish_opal_jira_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_opal_jira_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_opal_jira_using_subcommand
    set -l cmd (__fish_opal_jira_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c opal-jira -n "__fish_opal_jira_needs_command" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_needs_command" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_needs_command" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_needs_command" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_needs_command" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "configure" -d 'Set up the Jira connection and save it in the OS keyring'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "tickets" -d 'Find the Jira tickets assigned to you'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "resources" -d 'Manage the resources that access can be requested for'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "request" -d 'Request access to a resource, and grant it'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "requests" -d 'List and inspect access requests; bind one to a ticket or extend it'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "revoke" -d 'End one active request now'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "reconcile" -d 'End access that expired or whose ticket closed (run it from cron)'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "doctor" -d 'Check everything the setup depends on, and how to fix what is broken'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "log" -d 'Show the audit log, oldest first (JSON Lines with --output json)'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c opal-jira -n "__fish_opal_jira_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l deployment -d 'Jira deployment: `cloud` or `datacenter`' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l workspace -d 'Cloud workspace name (`acme` means https://acme.atlassian.net)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l url -d 'Site base URL (required for Data Center; replaces --workspace on Cloud)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l project -d 'Key of the project that tickets belong to, e.g. OPS' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l email -d 'Your Jira email (required for Cloud, optional for Data Center)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l token-stdin -d 'Read the API token (Cloud) or personal access token (Data Center) from stdin'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l no-verify -d 'Save without checking the connection against Jira'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -f -a "show" -d 'Show the effective connection (token redacted) and where it comes from'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -f -a "remove" -d 'Delete the profile\'s keyring entry'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and not __fish_seen_subcommand_from show remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the effective connection (token redacted) and where it comes from'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Delete the profile\'s keyring entry'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand configure; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -f -a "search" -d 'List the open tickets in the project assigned to you, most recently updated first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -f -a "show" -d 'Show one ticket'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and not __fish_seen_subcommand_from search show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l limit -d 'Show at most N tickets' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l all-statuses -d 'Include tickets whose status category is Done'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from search" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from help" -f -a "search" -d 'List the open tickets in the project assigned to you, most recently updated first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one ticket'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand tickets; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -f -a "add" -d 'Register a resource and the commands that grant and revoke access to it'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -f -a "list" -d 'List the registered resources'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -f -a "remove" -d 'Remove a resource (it must have no active requests)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and not __fish_seen_subcommand_from add list remove help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l revoke -d 'Command that revokes access, split like shell words (no shell runs it)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l grant -d 'Command that grants access (same placeholders, except {reason})' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l description -d 'What the resource is, for people choosing one' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l max-expire -d 'Longest access that may be requested, e.g. 8h or 1w (default: no limit)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l timeout -d 'Time limit for each grant or revoke command' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from help" -f -a "add" -d 'Register a resource and the commands that grant and revoke access to it'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the registered resources'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a resource (it must have no active requests)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand resources; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l resource -d 'Resource to access (may be left out when only one exists)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l ticket -d 'Bind the access to this ticket (it must be assigned to the requester)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l issue-type -d 'Issue type of the ticket --create-ticket creates outside Jira Service Management projects [default: Task]' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l for -d 'Request on behalf of this person (they become the requester)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l expire -d 'How long access lasts, e.g. 8h, 2d or 1h30m' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l until -d 'When access ends (RFC 3339, e.g. 2026-12-24T18:00:00Z)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l reason -d 'Why access is needed (kept in the request and the audit log)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l create-ticket -d 'Create a ticket for this request in the configured project and bind it (in a Jira Service Management project: a request of type `Access Change - Opal`, with the requester as reporter)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l indefinite -d 'No expiry: access ends only when the ticket closes (needs --ticket or --create-ticket)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand request" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -f -a "list" -d 'List requests (active ones unless --all), newest first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -f -a "show" -d 'Show one request'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -f -a "bind" -d 'Bind an active request to a ticket (the same ticket rules as `request`)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -f -a "extend" -d 'Move the expiry of an active request'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and not __fish_seen_subcommand_from list show bind extend help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l resource -d 'Only requests for this resource' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l ticket -d 'Only requests bound to this ticket' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l expiring-within -d 'Only active requests that end within this time, e.g. 2h' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l limit -d 'Show at most N requests, the newest (default: all)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l all -d 'Include revoked and failed requests'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l ticket -d 'Ticket key, e.g. OPS-12' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from bind" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l expire -d 'New duration, counted from now, e.g. 4h' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l until -d 'New expiry time (RFC 3339)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from extend" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from help" -f -a "list" -d 'List requests (active ones unless --all), newest first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one request'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from help" -f -a "bind" -d 'Bind an active request to a ticket (the same ticket rules as `request`)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from help" -f -a "extend" -d 'Move the expiry of an active request'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand requests; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l reason -d 'Why (kept in the audit log)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand revoke" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l jobs -d 'How many revoke commands may run at once' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l jira-budget -d 'The most time the pass spends asking Jira; tickets not checked by then are reported as unchecked, and expiry is enforced regardless' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l wait -d 'How long to wait for another pass on the same database to finish (0 = not at all)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l jira-concurrency -d 'How many Jira requests may be in flight at once (halved while Jira answers 429)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l dry-run -d 'Report what would be revoked, and change nothing'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l allow-mass-deletion -d 'Revoke for deleted tickets even when many disappear at once (after checking that they really were deleted)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand reconcile" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand doctor" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l request -d 'Only events of this request' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l since -d 'Only events at or after this time (RFC 3339)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l until -d 'Only events before this time (RFC 3339)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand log" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -l db -d 'SQLite file holding resources, requests and the audit log' -r -F
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -l profile -d 'Jira connection profile to use (one keyring entry each)' -r
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -l output -d 'Output format: a table for people or JSON for scripts' -r -f -a "table\t''
json\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -l color -d 'When to use colours: `auto` (on terminals, unless NO_COLOR is set), `always`, `never`' -r -f -a "auto\t''
always\t''
never\t''"
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -s v -l verbose -d 'Log more to stderr (can be repeated: -v info, -vv each Jira call, -vvv trace)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -s q -l quiet -d 'Print only results and errors'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -l no-input -d 'Never prompt (implied when stdin is not a terminal)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand completions" -s V -l version -d 'Print version'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "configure" -d 'Set up the Jira connection and save it in the OS keyring'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "tickets" -d 'Find the Jira tickets assigned to you'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "resources" -d 'Manage the resources that access can be requested for'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "request" -d 'Request access to a resource, and grant it'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "requests" -d 'List and inspect access requests; bind one to a ticket or extend it'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "revoke" -d 'End one active request now'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "reconcile" -d 'End access that expired or whose ticket closed (run it from cron)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "doctor" -d 'Check everything the setup depends on, and how to fix what is broken'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "log" -d 'Show the audit log, oldest first (JSON Lines with --output json)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and not __fish_seen_subcommand_from configure tickets resources request requests revoke reconcile doctor log completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "show" -d 'Show the effective connection (token redacted) and where it comes from'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from configure" -f -a "remove" -d 'Delete the profile\'s keyring entry'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from tickets" -f -a "search" -d 'List the open tickets in the project assigned to you, most recently updated first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from tickets" -f -a "show" -d 'Show one ticket'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from resources" -f -a "add" -d 'Register a resource and the commands that grant and revoke access to it'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from resources" -f -a "list" -d 'List the registered resources'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from resources" -f -a "remove" -d 'Remove a resource (it must have no active requests)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from requests" -f -a "list" -d 'List requests (active ones unless --all), newest first'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from requests" -f -a "show" -d 'Show one request'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from requests" -f -a "bind" -d 'Bind an active request to a ticket (the same ticket rules as `request`)'
complete -c opal-jira -n "__fish_opal_jira_using_subcommand help; and __fish_seen_subcommand_from requests" -f -a "extend" -d 'Move the expiry of an active request'
