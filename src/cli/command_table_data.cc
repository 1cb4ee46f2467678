// The data of the command table (command_table.h): what `mfaenv --help`, the completions and the
// man pages say about each command. Wording: summaries and help start with a verb or a noun in
// the imperative, placeholders are <UPPER>, examples are real command lines.
#include "cli/command_table.h"

namespace mfaenv {

namespace {

constexpr std::string_view kFormats[] = {"sh", "fish", "powershell", "json", "dotenv"};
constexpr std::string_view kHookShells[] = {"direnv", "bash", "zsh", "fish"};
constexpr std::string_view kCompletionShells[] = {"bash", "zsh", "fish"};
constexpr std::string_view kMfaStates[] = {"present", "absent", "false"};

constexpr PositionalSpec kProfileArg[] = {
    {"PROFILE", Completes::kProfile, {}, Occurs::kOptional,
     "The profile (default: --profile, AWS_PROFILE, AWS_DEFAULT_PROFILE, MFAENV_PROFILE, 'default')"}};
constexpr FlagSpec kProfileFlag{"--profile", "<PROFILE>", Completes::kProfile, {}, {}, Occurs::kOptional,
                                "The profile, as the AWS CLI takes it (when PROFILE is not given)"};
constexpr FlagSpec kNoPrompt{"--no-prompt", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
                             "Serve only a usable cached session; never ask for a code (exit 3 instead)"};
constexpr FlagSpec kNoSession{"--no-session", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
                              "For a profile with no MFA device and no role: hand out its long-term keys instead of "
                              "a session made without MFA (as mfaenv_session = none); warns"};
constexpr FlagSpec kJson{"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print JSON"};

// --- session commands -------------------------------------------------------------------------
constexpr FlagSpec kMinRemaining{"--min-remaining", "<DURATION>", Completes::kNothing, {}, {}, Occurs::kOptional,
                                 "Make sure the session has at least this long left, for a long job (a new one "
                                 "otherwise): 2h, 90m"};
constexpr FlagSpec kLoginFlags[] = {
    kProfileFlag, kMinRemaining,
    {"--token-code", "<CODE>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "The six-digit code your MFA device shows (else mfa_process, else a prompt)"},
    {"--duration", "<DURATION>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Session length asked of STS: seconds or 15m, 12h, 1h30m (default mfaenv_session_duration, 12h)"},
    {"--force", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Make a new session even if the cached one is still good"}};
constexpr ExampleSpec kLoginExamples[] = {
    {"mfaenv login alice", "ask for alice's MFA code once and cache the session"},
    {"mfaenv login alice --token-code 123456 --duration 8h", "give the code on the command line"}};

constexpr FlagSpec kEnvFlags[] = {
    kProfileFlag,
    {"--format", "<FORMAT>", Completes::kChoice, kFormats, "sh", Occurs::kOptional,
     "Output for a shell or a program: sh, fish, powershell, json or dotenv"},
    kNoPrompt, kNoSession};
constexpr ExampleSpec kEnvExamples[] = {
    {"eval \"$(mfaenv env alice)\"", "load alice's session into this bash or zsh"},
    {"mfaenv env alice --format fish | source", "the same in fish"},
    {"mfaenv env alice --format dotenv > .env", "write a .env file for a program"}};

constexpr FlagSpec kExecFlags[] = {
    kProfileFlag, kNoPrompt, kNoSession,
    {"--nested", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Allow running inside another profile's mfaenv session"},
    {"--server", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Serve the session on 127.0.0.1 for the command's whole life, refreshed ahead of expiry, instead of "
     "putting keys in its environment (docs/server.md)"},
    kMinRemaining};
constexpr ExampleSpec kExecExamples[] = {
    {"mfaenv exec alice -- aws sts get-caller-identity", "run one command with alice's session"},
    {"mfaenv exec admin", "start $SHELL with the admin role's session"},
    {"mfaenv exec admin --server -- terraform apply", "a long run that outlives any one session"}};

constexpr FlagSpec kServeFlags[] = {
    kProfileFlag,
    {"--format", "<FORMAT>", Completes::kChoice, kFormats, "sh", Occurs::kOptional,
     "How to print the variables: sh, fish, powershell, json or dotenv"},
    kMinRemaining};
constexpr ExampleSpec kServeExamples[] = {
    {"mfaenv serve admin --format dotenv > .env.mfaenv", "serve admin's session; the variables for a program"}};

constexpr FlagSpec kCredentialProcessFlags[] = {kProfileFlag, kNoPrompt, kNoSession};
constexpr ExampleSpec kCredentialProcessExamples[] = {
    {"credential_process = mfaenv credential-process alice",
     "in a [profile alice-sdk] section of ~/.aws/config, for SDKs and aws --profile alice-sdk"}};

constexpr FlagSpec kWhoamiFlags[] = {
    kProfileFlag,
    {"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Print {\"UserId\", \"Account\", \"Arn\"} like aws sts get-caller-identity"},
    {"--long-term", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Ask with the profile's long-term keys (the bottom of its chain), to check them"},
    kNoPrompt, kNoSession};
constexpr ExampleSpec kWhoamiExamples[] = {{"mfaenv whoami admin", "show the account and ARN of admin's session"},
                                           {"mfaenv whoami alice --long-term", "check alice's long-term keys"}};

constexpr FlagSpec kStatusFlags[] = {
    kProfileFlag, {"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print the status as JSON"}};
constexpr ExampleSpec kStatusExamples[] = {{"mfaenv status", "every profile, its session and the time left"},
                                           {"mfaenv status alice --json", "one profile, for scripts"}};

constexpr FlagSpec kLogoutFlags[] = {
    kProfileFlag,
    {"--all", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Forget every cached session"},
    {"--mfa-session", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "For a role profile: forget the MFA session under it too (the next use asks for a code)"}};
constexpr ExampleSpec kLogoutExamples[] = {{"mfaenv logout alice", "forget alice's session"},
                                           {"mfaenv logout --all", "forget every cached session"}};

// --- config -------------------------------------------------------------------------------------
constexpr FlagSpec kConfigProfileFlags[] = {
    {"--profile", "<PROFILE>", Completes::kProfile, {}, {}, Occurs::kOptional,
     "The profile (default: AWS_PROFILE, AWS_DEFAULT_PROFILE, 'default')"}};
constexpr FlagSpec kConfigListFlags[] = {
    kConfigProfileFlags[0],
    {"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Print the profile as botocore's get_scoped_config() gives it"}};
constexpr PositionalSpec kConfigGetArgs[] = {
    {"KEY", Completes::kNothing, {}, Occurs::kRequired, "The setting: KEY, KEY.SUBKEY, profile.NAME.KEY, NAME.KEY"}};
constexpr PositionalSpec kConfigSetArgs[] = {
    {"KEY", Completes::kNothing, {}, Occurs::kRequired, "The setting: KEY, KEY.SUBKEY, default.KEY, profile.NAME.KEY"},
    {"VALUE", Completes::kNothing, {}, Occurs::kRequired,
     "The value; - reads it from standard input (keeps secrets out of argv and history)"}};
constexpr ExampleSpec kConfigExamples[] = {{"mfaenv config get mfa_serial --profile alice", "print one setting"},
                                           {"mfaenv config set region eu-west-1 --profile alice", "change one"}};
constexpr ExampleSpec kConfigGetExamples[] = {{"mfaenv config get mfa_serial --profile alice", "print alice's MFA device"}};
constexpr ExampleSpec kConfigSetExamples[] = {
    {"mfaenv config set mfaenv_mfa_max_age 1h --profile alice", "tell mfaenv the policy's MFA age limit"}};
constexpr ExampleSpec kConfigListExamples[] = {{"mfaenv config list --profile admin", "where each setting comes from"}};
constexpr ExampleSpec kConfigProfilesExamples[] = {{"mfaenv config profiles", "one profile name per line"}};

// --- hook, completion ---------------------------------------------------------------------------
constexpr PositionalSpec kHookArgs[] = {
    {"SHELL", Completes::kChoice, kHookShells, Occurs::kRequired, "direnv, bash, zsh or fish"}};
constexpr ExampleSpec kHookExamples[] = {
    {"mfaenv hook direnv > \"${XDG_CONFIG_HOME:-$HOME/.config}/direnv/lib/mfaenv.sh\"",
     "then 'use mfaenv PROFILE' in an .envrc"},
    {"eval \"$(mfaenv hook bash)\"", "in ~/.bashrc (zsh: ~/.zshrc)"},
    {"mfaenv hook fish | source", "in ~/.config/fish/config.fish"}};

constexpr PositionalSpec kCompletionArgs[] = {
    {"SHELL", Completes::kChoice, kCompletionShells, Occurs::kRequired, "bash, zsh or fish"}};
constexpr ExampleSpec kCompletionExamples[] = {
    {"mfaenv completion bash > ~/.local/share/bash-completion/completions/mfaenv", "bash"},
    {"mfaenv completion zsh > ~/.zfunc/_mfaenv", "zsh (with ~/.zfunc in fpath)"},
    {"mfaenv completion fish > ~/.config/fish/completions/mfaenv.fish", "fish"}};

// --- policy -------------------------------------------------------------------------------------
constexpr PositionalSpec kPolicyFileArg[] = {
    {"FILE", Completes::kFile, {}, Occurs::kRequired, "The IAM policy (JSON); - reads standard input"}};
constexpr FlagSpec kPolicyGenerateFlags[] = {
    {"--max-age", "<DURATION>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Deny MFA sessions older than this: seconds or 15m, 1h, 12h (default 12h, mfaenv's session length)"},
    {"--self-manage", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Let users without MFA still enrol a virtual MFA device and call sts:GetSessionToken (NotAction)"},
    {"--console-role", "<USER_ARN>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Print instead the trust policy of a console role USER_ARN may assume only with a fresh MFA"}};
constexpr FlagSpec kPolicyCheckFlags[] = {
    {"--profile", "<PROFILE>", Completes::kProfile, {}, {}, Occurs::kOptional,
     "Also compare the policy's MFA age limit with this profile's session settings"},
    {"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print the findings as JSON"}};
constexpr FlagSpec kPolicySimulateFlags[] = {
    {"--action", "<ACTION>", Completes::kNothing, {}, {}, Occurs::kRequired,
     "The action requested, e.g. s3:ListBucket"},
    {"--resource", "<ARN>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "The resource ARN (default *, as for actions that take no resource)"},
    {"--mfa", "<MFA>", Completes::kChoice, kMfaStates, "absent", Occurs::kOptional,
     "present: an MFA session; absent: long-term keys (no MFA keys at all, the default); "
     "false: temporary credentials made without MFA"},
    {"--mfa-age", "<SECONDS>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Seconds since the MFA code was entered (aws:MultiFactorAuthAge; default 0; implies --mfa present)"},
    {"--context", "<KEY=VALUE>", Completes::kNothing, {}, {}, Occurs::kRepeatable,
     "Another condition key (repeatable), e.g. aws:username=alice; it overrides --mfa"},
    {"--json", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print the decision and the reasons as JSON"}};
constexpr PositionalSpec kPolicySyncArgs[] = {
    {"PROFILE", Completes::kProfile, {}, Occurs::kRequired, "The profile in ~/.aws/config to update"},
    {"FILE", Completes::kFile, {}, Occurs::kRequired, "The IAM policy (JSON); - reads standard input"}};
constexpr ExampleSpec kPolicyExamples[] = {
    {"mfaenv policy generate --max-age 1h > require-mfa.json", "write a policy that forces MFA"},
    {"mfaenv policy check require-mfa.json --profile work", "find its mistakes"},
    {"mfaenv policy simulate require-mfa.json --action s3:ListBucket --mfa absent", "see IAM's decision"},
    {"mfaenv policy sync work require-mfa.json", "write its MFA age limit into profile work"}};
constexpr ExampleSpec kPolicyGenerateExamples[] = {
    {"mfaenv policy generate --max-age 1h > require-mfa.json", "a policy denying MFA sessions older than 1 hour"}};
constexpr ExampleSpec kPolicyCheckExamples[] = {{"mfaenv policy check require-mfa.json --profile work", "lint it"}};
constexpr ExampleSpec kPolicySimulateExamples[] = {
    {"mfaenv policy simulate p.json --action s3:GetObject --mfa present --mfa-age 7200 --json | jq -r .decision",
     "the decision for a 2-hour-old MFA session"}};
constexpr ExampleSpec kPolicySyncExamples[] = {{"mfaenv policy sync work require-mfa.json", "update profile work"}};

// --- policy attach, mfa, console -----------------------------------------------------------------
constexpr PositionalSpec kPolicyAttachArgs[] = {
    {"PROFILE", Completes::kProfile, {}, Occurs::kRequired, "The profile whose MFA session makes the call"},
    {"FILE", Completes::kFile, {}, Occurs::kRequired, "The IAM policy (JSON); - reads standard input"}};
constexpr FlagSpec kPolicyAttachFlags[] = {
    {"--group", "<GROUP>", Completes::kNothing, {}, {}, Occurs::kOptional, "Attach to this IAM group (PutGroupPolicy)"},
    {"--user", "<USER>", Completes::kNothing, {}, {}, Occurs::kOptional, "Attach to this IAM user (PutUserPolicy)"},
    {"--name", "<NAME>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "The inline policy's name (default: the file's name without .json)"},
    {"--force", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Attach even a policy that would deny you what you need to fix it"}};
constexpr ExampleSpec kPolicyAttachExamples[] = {
    {"mfaenv policy attach alice require-mfa.json --group developers", "put the policy on group developers"}};

constexpr PositionalSpec kMfaProfileArg[] = {
    {"PROFILE", Completes::kProfile, {}, Occurs::kRequired, "The profile of the IAM user"}};
constexpr FlagSpec kMfaEnrollFlags[] = {
    {"--name", "<NAME>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "The virtual device's name (default: the IAM user's name)"},
    {"--secret", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Show the base32 secret instead of the QR code (for password managers)"},
    {"--qr-png", "<FILE>", Completes::kFile, {}, {}, Occurs::kOptional, "Also write the QR code to FILE as a PNG"}};
constexpr FlagSpec kMfaRemoveFlags[] = {
    {"--token-code", "<CODE>", Completes::kNothing, {}, {}, Occurs::kOptional, "The code for the MFA session"}};
constexpr ExampleSpec kMfaExamples[] = {
    {"mfaenv mfa enroll alice", "create a virtual MFA device for alice and write mfa_serial"},
    {"mfaenv mfa list alice", "show alice's MFA devices"}};
constexpr ExampleSpec kMfaEnrollExamples[] = {
    {"mfaenv mfa enroll alice", "scan the QR code, type two codes, done"},
    {"mfaenv mfa enroll alice --secret", "type the secret into a password manager instead"}};
constexpr ExampleSpec kMfaListExamples[] = {{"mfaenv mfa list alice", "serial numbers and enable dates"}};
constexpr ExampleSpec kMfaRemoveExamples[] = {{"mfaenv mfa remove alice", "deactivate and delete the device"}};

constexpr FlagSpec kConsoleFlags[] = {
    kProfileFlag,
    {"--url", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Print the sign-in URL on stdout instead of opening a browser (it works for 15 minutes)"},
    {"--service", "<SERVICE>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Open this service's page: s3, ec2, iam, ... (as in the console's URL)"},
    {"--destination", "<URL>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Open this console URL (https://console.aws.amazon.com/...)"},
    {"--region", "<REGION>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "The console's region (default: the profile's region)"},
    {"--duration", "<DURATION>", Completes::kNothing, {}, {}, Occurs::kOptional,
     "Console session length, 15m to 12h (default the role's duration_seconds, 1h); never past the MFA session"}};
constexpr ExampleSpec kConsoleExamples[] = {
    {"mfaenv console admin", "open the console as role profile admin, with MFA"},
    {"mfaenv console admin --service s3 --region eu-west-1", "open the S3 page in eu-west-1"},
    {"mfaenv console admin --url", "print the sign-in URL instead"}};

// --- hidden -------------------------------------------------------------------------------------
constexpr FlagSpec kCommandTableFlags[] = {
    {"--json", {}, Completes::kNothing, {}, {}, Occurs::kRequired, "Print the table as JSON (the only format)"}};

// --- keys ---------------------------------------------------------------------------------------
constexpr std::string_view kKeyBackends[] = {"secret-service", "pass", "file", "credentials-file"};
constexpr std::string_view kKeyStores[] = {"secret-service", "pass", "file"};  // import's targets
constexpr FlagSpec kKeysAddFlags[] = {
    kProfileFlag,
    {"--backend", "<BACKEND>", Completes::kChoice, kKeyBackends, {}, Occurs::kOptional,
     "Where to keep the keys (default: mfaenv_keyring, MFAENV_KEYRING, secret-service with D-Bus, else file)"},
    {"--from-env", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Take AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (or MASTER_AWS_…) instead of asking"}};
constexpr FlagSpec kKeysImportFlags[] = {
    kProfileFlag,
    {"--backend", "<BACKEND>", Completes::kChoice, kKeyStores, {}, Occurs::kOptional,
     "Where to keep the keys: secret-service, pass or file"},
    {"--from-envrc", "<FILE>", Completes::kFile, {}, {}, Occurs::kOptional,
     "Read the export MASTER_AWS_…= lines of this .envrc (read, never run)"}};
constexpr FlagSpec kKeysListFlags[] = {kJson};
constexpr FlagSpec kKeysRemoveFlags[] = {
    kProfileFlag,
    {"--backend", "<BACKEND>", Completes::kChoice, kKeyBackends, {}, Occurs::kOptional,
     "The store to delete from (default: the profile's)"},
    {"--force", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Do not ask before deleting"}};
constexpr FlagSpec kKeysRotateFlags[] = {
    kProfileFlag,
    {"--keep-old", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Deactivate the old key but do not delete it"}};
constexpr ExampleSpec kKeysExamples[] = {
    {"mfaenv keys import work", "move work's keys out of ~/.aws/credentials into the keyring"},
    {"mfaenv keys rotate work", "replace work's key at IAM, safely"}};
constexpr ExampleSpec kKeysAddExamples[] = {{"mfaenv keys add work --backend pass", "ask for the keys, keep them in pass"}};
constexpr ExampleSpec kKeysImportExamples[] = {
    {"mfaenv keys import work", "from ~/.aws/credentials; the rest of the file stays as it was"},
    {"mfaenv keys import work --from-envrc .envrc", "from a direnv .envrc; prints what to put there instead"}};
constexpr ExampleSpec kKeysListExamples[] = {{"mfaenv keys list", "profiles, backends, masked key ids, age"}};
constexpr ExampleSpec kKeysRemoveExamples[] = {{"mfaenv keys remove old --force", "delete old's stored keys"}};
constexpr ExampleSpec kKeysRotateExamples[] = {{"mfaenv keys rotate work --keep-old", "new key; old one only deactivated"}};

constexpr CommandSpec kCommands[] = {
    {"login", "Get an MFA session for the profile (asks for the code once)", kProfileArg, kLoginFlags, kLoginExamples},
    {"env", "Print the profile's session as shell code, JSON or dotenv", kProfileArg, kEnvFlags, kEnvExamples, {}, {},
     Parsing::kFast},
    {"exec", "Run a command with the profile's session in its environment", kProfileArg, kExecFlags, kExecExamples,
     "COMMAND [ARGS...]", "Without COMMAND, runs $SHELL. The command's exit status is mfaenv's.", Parsing::kFast},
    {"serve", "Serve the profile's session on 127.0.0.1 for SDKs until interrupted", kProfileArg, kServeFlags,
     kServeExamples, {},
     "Prints AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN (the token is a secret:\n"
     "keep it out of files others read). Ctrl-C stops the server."},
    {"credential-process", "Print the session as AWS credential_process JSON, for SDKs", kProfileArg,
     kCredentialProcessFlags, kCredentialProcessExamples, {},
     "SDKs run it with pipes, so a code is asked for on /dev/tty.", Parsing::kFast},
    {"whoami", "Show the account, ARN and user id of the profile's session", kProfileArg, kWhoamiFlags,
     kWhoamiExamples},
    {"status", "Show profiles, MFA devices, sessions and the time they have left", kProfileArg, kStatusFlags,
     kStatusExamples},
    {"logout", "Forget cached sessions: the profile's (and those made from it), or --all", kProfileArg, kLogoutFlags,
     kLogoutExamples},
    {"config", "Read and change settings in the AWS config files", {}, {}, kConfigExamples, {},
     "Files: AWS_CONFIG_FILE (default ~/.aws/config) and AWS_SHARED_CREDENTIALS_FILE (default\n"
     "~/.aws/credentials), read exactly as the AWS CLI and SDKs read them."},
    {"config get", "Print one setting of a profile (exit 1, no output, when it is not set)", kConfigGetArgs,
     kConfigProfileFlags, kConfigGetExamples},
    {"config set", "Set one setting of a profile, keeping the rest of the file as it is", kConfigSetArgs,
     kConfigProfileFlags, kConfigSetExamples, {}, "Keys (aws_access_key_id, ...) go to the credentials file."},
    {"config list", "Show a profile's settings and the file each one comes from", {}, kConfigListFlags,
     kConfigListExamples},
    {"config profiles", "List the profile names, one per line (aws configure list-profiles)", {}, {},
     kConfigProfilesExamples},
    {"hook", "Print the shell code that loads sessions: direnv, bash, zsh or fish", kHookArgs, {}, kHookExamples},
    {"policy", "Generate, check and simulate IAM policies that force MFA", {}, {}, kPolicyExamples},
    {"policy generate", "Print an IAM policy that denies everything without a fresh MFA", {}, kPolicyGenerateFlags,
     kPolicyGenerateExamples, {},
     "The policy has two Deny statements, because conditions in one statement are AND-ed:\n"
     "  1. BoolIfExists aws:MultiFactorAuthPresent \"false\": requests without MFA, long-term keys included;\n"
     "  2. NumericGreaterThan aws:MultiFactorAuthAge N: MFA sessions older than N seconds.\n"
     "Attach it next to the policies that grant access, then: mfaenv policy sync PROFILE FILE"},
    {"policy check", "Find the mistakes that make an MFA policy silently fail", kPolicyFileArg, kPolicyCheckFlags,
     kPolicyCheckExamples, {},
     "Each finding has a stable code, a severity (error, warning, note), file:line:col and a fix:\n"
     "  MFA001 MFA presence and age tested in one Deny (AND-ed, so it never denies)\n"
     "  MFA002 Bool aws:MultiFactorAuthPresent \"false\" in a Deny (skips long-term keys)\n"
     "  MFA003 BoolIfExists aws:MultiFactorAuthPresent \"true\" in an Allow (allows long-term keys)\n"
     "  MFA004 MFA age limit shorter than the profile's sessions, no mfaenv_mfa_max_age (--profile)\n"
     "  MFA005 mfaenv_mfa_max_age longer than the policy's MFA age limit (--profile)\n"
     "  MFA006 a deny without MFA that also blocks enrolling an MFA device (note)\n"
     "  MFA007 unknown condition operator      MFA008 action not written service:Action\n"
     "  MFA009 Bool/Null value not true/false  MFA010 Numeric value not a number\n"
     "  MFA011 missing or old Version          MFA012 misspelled MFA condition key\n"
     "Exit status: 0 nothing above a note, 1 errors or warnings, 6 the file is unreadable or not\n"
     "a valid policy (the message names file:line:col). See docs/policy.md."},
    {"policy simulate", "Show what IAM decides for one request under a policy, and why", kPolicyFileArg,
     kPolicySimulateFlags, kPolicySimulateExamples, {},
     "IAM's order: an explicit Deny wins, else an Allow, else the request is implicitly denied.\n"
     "Decisions are named as AWS's simulator names them: allowed, explicitDeny, implicitDeny.\n"
     "The exit status is 0 whatever the decision (errors: 2 usage, 6 invalid policy).\n"
     "Condition operators evaluated: String*, Numeric*, Bool and Null, each with IfExists (not Null)."},
    {"policy sync", "Write the policy's MFA age limit into a profile as mfaenv_mfa_max_age", kPolicySyncArgs, {},
     kPolicySyncExamples, {},
     "mfaenv then treats a cached session as expired when its MFA is that old, instead of\n"
     "finding out from AccessDenied errors. With several limits in the policy the smallest\n"
     "is written. Only that one key of the profile changes; comments and layout are kept."},
    {"keys", "Keep long-term keys in a key store: add, import, list, remove, rotate", {}, {}, kKeysExamples, {},
     "Backends: secret-service (GNOME Keyring, KWallet, KeePassXC), pass, file (encrypted), credentials-file.\n"
     "A profile's backend is its mfaenv_keyring, else MFAENV_KEYRING. See docs/keys.md."},
    {"keys add", "Store a profile's long-term keys (asked on the terminal) in a key store", kProfileArg, kKeysAddFlags,
     kKeysAddExamples},
    {"keys import", "Move a profile's plaintext keys from ~/.aws/credentials (or a .envrc) into a key store",
     kProfileArg, kKeysImportFlags, kKeysImportExamples, {},
     "The keys are stored and read back before the plaintext lines are removed; any failure leaves them."},
    {"keys list", "List stored keys: profile, backend, key id (masked), age, sessions", {}, kKeysListFlags,
     kKeysListExamples},
    {"keys remove", "Delete a profile's stored keys (asks first unless --force)", kProfileArg, kKeysRemoveFlags,
     kKeysRemoveExamples},
    {"keys rotate", "Replace a profile's stored key by a new one at IAM, safely", kProfileArg, kKeysRotateFlags,
     kKeysRotateExamples, {},
     "With an MFA session: ListAccessKeys, CreateAccessKey, wait until it works, store it, deactivate\n"
     "the old key, delete it (unless --keep-old). A failure at any step leaves a working key stored."},
    {"policy attach", "Attach a checked policy to an IAM group or user, with the profile's MFA session",
     kPolicyAttachArgs, kPolicyAttachFlags, kPolicyAttachExamples, {},
     "Refuses a policy that 'policy check' finds errors in, and one that would deny you the actions\n"
     "you need to fix it (enrolling MFA, changing the policy again), unless --force. See docs/enroll.md."},
    {"mfa", "Enrol, list and remove the IAM user's virtual MFA device", {}, {}, kMfaExamples},
    {"mfa enroll", "Create a virtual MFA device, show its QR code, enable it with two codes", kMfaProfileArg,
     kMfaEnrollFlags, kMfaEnrollExamples, {},
     "Uses the profile's long-term keys; writes mfa_serial into the profile. If a step fails after\n"
     "the device was created, the device is deleted again. The secret is never written to disk."},
    {"mfa list", "List the IAM user's MFA devices", kMfaProfileArg, kMfaRemoveFlags, kMfaListExamples},
    {"mfa remove", "Deactivate and delete the profile's MFA device (needs its MFA session)", kMfaProfileArg,
     kMfaRemoveFlags, kMfaRemoveExamples, {}, "Removes mfa_serial from the profile and forgets its sessions."},
    {"console", "Open the AWS console with the profile's role, keeping MFA", kProfileArg, kConsoleFlags,
     kConsoleExamples, {},
     "A role profile signs in with AssumeRole credentials made from its MFA session. The browser is\n"
     "$BROWSER or xdg-open, given a private page that leads to the sign-in URL (the token never\n"
     "shows in ps). An IAM-user profile gets the console-role fix. See docs/console.md."},
    {"completion", "Print the shell completion script: bash, zsh or fish", kCompletionArgs, {}, kCompletionExamples,
     {}, "Packages install these files; the scripts ask 'mfaenv __complete-profiles' for profile names."},
    {"__complete-profiles", "List profile names for the completion scripts (no STS, no cache)", {}, {}, {}, {}, {},
     Parsing::kFast, Visibility::kHidden},
    {"__command-table", "Print this command table as JSON (for the man page check)", {}, kCommandTableFlags, {}, {},
     {}, Parsing::kFast, Visibility::kHidden},
};

constexpr FlagSpec kGlobalFlags[] = {
    {"--debug", {}, Completes::kNothing, {}, {}, Occurs::kOptional,
     "Say on stderr what mfaenv reads, decides and sends (secrets masked); also MFAENV_DEBUG=1"},
    {"--help", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print the help of mfaenv or of the command"},
    {"--version", {}, Completes::kNothing, {}, {}, Occurs::kOptional, "Print the version (before any command)"},
};

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }
std::span<const FlagSpec> global_flags() { return kGlobalFlags; }

}  // namespace mfaenv
