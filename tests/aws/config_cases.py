# Config/credentials file pairs for the differential test against botocore (differential_test.py):
# the hand-written nasty cases first, then seeded random ones. A file is bytes, MISSING (no file) or
# DIRECTORY (a folder where the file should be).
import random

MISSING = "missing"
DIRECTORY = "directory"


def b(text):
    return text.encode("utf-8") if isinstance(text, str) else text


def all_uppercase_keys():
    """One key per code point that str.lower() changes (so every entry of mfaenv's table is used),
    minus capital sigma, whose lower case depends on the letters around it (docs/config.md)."""
    seen = set()
    lines = []
    for cp in range(0x110000):
        ch = chr(cp)
        if cp == 0x3A3 or 0xD800 <= cp <= 0xDFFF or ch.lower() == ch:
            continue
        key = "k" + ch
        if key.lower() in seen:
            continue
        seen.add(key.lower())
        lines.append(f"{key} = {cp}\n")
    return "".join(lines)


def nasty_cases():
    """(name, config, credentials) triples that each poke at one rule of configparser/botocore."""
    c = []

    def add(name, config=b"", credentials=b""):
        c.append((name, b(config) if config not in (MISSING, DIRECTORY) else config,
                  b(credentials) if credentials not in (MISSING, DIRECTORY) else credentials))

    # Files that are not there, or are folders.
    add("both-missing", MISSING, MISSING)
    add("both-empty")
    add("config-directory", DIRECTORY, "[a]\nx = 1\n")
    add("credentials-directory", "[default]\nregion = r\n", DIRECTORY)
    add("both-directories", DIRECTORY, DIRECTORY)
    add("config-missing", MISSING, "[default]\naws_access_key_id = AKIA\n")

    # Duplicates: configparser is strict.
    add("duplicate-key", "[default]\nregion = a\nregion = b\n")
    add("duplicate-key-case", "[default]\nRegion = a\nregion = b\n")
    add("duplicate-key-colon", "[default]\nregion: a\nregion = b\n")
    add("duplicate-section", "[default]\na = 1\n[default]\nb = 2\n")
    add("duplicate-section-far", "[profile x]\na = 1\n[other]\n[profile x]\n")
    add("duplicate-in-credentials", "", "[a]\nk = 1\n[a]\nk = 2\n")
    add("duplicate-key-credentials", "", "[a]\nk = 1\nK = 2\n")
    add("duplicate-default-sections", "[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n[x]\n[profile y]\n")
    add("duplicate-default-keys", "[DEFAULT]\na = 1\n[DEFAULT]\na = 2\n")
    add("profile-and-quoted-profile", "[profile a]\nx = 1\ny = 2\n[profile \"a\"]\nx = 3\n")
    add("default-then-profile-default", "[default]\nregion = one\n[profile default]\noutput = two\n")
    add("profile-default-then-default", "[profile default]\nregion = one\n[default]\noutput = two\n")
    add("duplicate-then-parse-error", "[a]\nbogus\n[a]\n")
    add("parse-error-then-duplicate-key", "[a]\nbogus line\nk = 1\nk = 2\n")
    add("empty-key-twice", "[a]\n= 1\n= 2\n")

    # Tabs and other white space.
    add("tabs", "[default]\n\tregion\t=\tus-east-1\t\n\toutput = json\n")
    add("tab-continuation", "[default]\nk = first\n\tsecond\n\t\tthird\n")
    add("tab-separated-header", "[profile\ttabbed]\nregion = x\n")
    add("nbsp-around-value", "[default]\nregion =\u00a0us-east-1\u00a0\n")
    add("ideographic-space-indent", "[default]\nk =\n\u3000a = 1\n\u3000b = 2\n")
    add("vertical-tab-and-form-feed", "[default]\nk = a\x0bb\nj = \x0cc\x0c\n\x0c\n")
    add("separator-chars-in-value", "[default]\nk = a\x1cb\x1dc\x1ed\x1fe\n")
    add("whitespace-only-lines", "[default]\nk = v\n   \n\t\n\x0c\nj = w\n")

    # Line endings.
    add("crlf", "[default]\r\nregion = us-east-1\r\n\r\n[profile dev]\r\nregion = eu-west-1\r\n")
    add("cr-only", "[default]\rregion = us-east-1\r[profile dev]\rregion = x\r")
    add("mixed-endings", "[default]\r\na = 1\nb = 2\r[profile p]\r\nc = 3")
    add("crlf-continuation", "[default]\r\ns3 =\r\n  addressing_style = path\r\n\r\n  x = y\r\n")
    add("no-final-newline", "[default]\nregion = us-east-1")
    add("crlf-credentials", "", "[default]\r\naws_access_key_id = AKIA\r\n")

    # Byte order marks and encodings.
    add("bom-config", b"\xef\xbb\xbf[default]\nregion = us-east-1\n")
    add("bom-credentials", "", b"\xef\xbb\xbf[default]\naws_access_key_id = AKIA\n")
    add("bom-comment-first", b"\xef\xbb\xbf# comment\n[default]\n")
    add("bom-second-line", b"[default]\n\xef\xbb\xbfregion = x\n")
    add("bom-only", b"\xef\xbb\xbf")
    add("invalid-utf8", b"[default]\nregion = \xff\n")
    add("invalid-utf8-late", b"[default]\nregion = x\n\n\n[profile b]\nk = \xc3\x28\n")
    add("overlong-utf8", b"[default]\nk = \xc0\xaf\n")
    add("surrogate-utf8", b"[default]\nk = \xed\xa0\x80\n")
    add("truncated-utf8", b"[default]\nk = \xe2\x82")
    # Python decodes 8 KiB at a time, so where an invalid byte sits decides which error wins.
    add("invalid-utf8-after-duplicate-same-chunk", b"[a]\n[a]\nk = \xff\n")
    add("invalid-utf8-after-duplicate-next-chunk", b"[a]\n[a]\n" + b"# pad\n" * 2000 + b"k = \xff\n")
    add("invalid-utf8-across-chunk-boundary", b"[a]\n[a]\n" + b"#" * (8190 - 8) + b"\n\xe2A\n")
    add("invalid-utf8-second-chunk-bad-line", b"[a]\nbogus\n" + b"# pad\n" * 2000 + b"k = \xff\n")
    add("truncated-utf8-after-bad-header", b"junk\nk = \xe2\x82")
    add("truncated-utf8-after-parse-error", b"[a]\nbogus\nk = \xe2\x82")
    add("truncated-utf8-after-held-cr", b"junk\r\xe2\x82")
    add("truncated-utf8-after-crlf", b"junk\r\n\xe2\x82")
    add("latin1-credentials", "", b"[default]\nk = caf\xe9\n")
    add("nul-byte", b"[default]\nk = a\x00b\n")

    # Section headers.
    add("profile-no-name", "[profile]\nregion = x\n")
    add("profile-trailing-space", "[profile ]\nregion = x\n")
    add("profile-two-spaces", "[profile  a]\nregion = x\n")
    add("spaces-inside-brackets", "[ profile a ]\nregion = x\n[ default ]\nk = 1\n")
    add("profilea", "[profilea]\nregion = x\n")
    add("profilea-b", "[profilea b]\nregion = x\n")
    add("profile-three-words", "[profile a b]\nregion = x\n")
    add("profile-double-quoted", "[profile \"a b\"]\nregion = x\n")
    add("profile-single-quoted", "[profile 'a b']\nregion = x\n")
    add("profile-unclosed-quote", "[profile \"a]\nregion = x\n")
    add("profile-trailing-backslash", "[profile a\\]\nregion = x\n")
    add("profile-escapes", "[profile \"a\\\"b\\\\c\\d\"]\nregion = x\n[profile e\\ f]\nk = 1\n")
    add("profile-empty-quotes", "[profile \"\"]\nregion = x\n")
    add("profile-glued-quotes", "[profile a\"\"b'c d']\nregion = x\n")
    add("header-trailing-text", "[profile a] # comment\nregion = x\n[b]x\nk = 1\n")
    add("header-extra-bracket", "[a]]\nk = 1\n[x]y]\nj = 2\n")
    add("empty-brackets", "[default]\n[]\n")
    add("empty-brackets-first", "[]\n[default]\n")
    add("bracket-key", "[default]\n[k = v\n")
    add("default-variants", "[Default]\na = 1\n[DEFAULT ]\nb = 2\n[default]\nc = 3\n")
    add("default-section", "[DEFAULT]\nregion = everywhere\n[default]\n[profile a]\nregion = own\n[other]\n")
    add("default-only", "[DEFAULT]\nregion = nowhere\n")
    add("default-in-credentials", "[profile a]\nregion = r\n", "[DEFAULT]\naws_access_key_id = shared\n[a]\n[b]\n")
    add("default-nested-error-no-sections", "[DEFAULT]\ns3 =\n  novalue\n")
    add("default-nested-error", "[DEFAULT]\ns3 =\n  novalue\n[default]\n")
    # The reader checks the whole file in one pass and reads sections again on demand (docs/hardening.md,
    # defect 12): the order in which errors win must stay botocore's.
    add("default-nested-error-overridden-then-inherited", "[a]\ns3 = own\n[b]\n[DEFAULT]\ns3 =\n  novalue\n")
    add("default-nested-error-always-overridden", "[a]\ns3 = own\n[DEFAULT]\ns3 =\n  novalue\n[b]\nS3 = x\n")
    add("own-nested-error-before-default-one", "[a]\nk =\n  bad\n[DEFAULT]\ns3 =\n  nope\n")
    add("default-nested-error-before-later-own", "[a]\n[b]\nk =\n  bad\n[DEFAULT]\ns3 =\n  nope\n")
    add("second-own-nested-error", "[a]\nk =\n  x = 1\n[b]\nk =\n  bad\nj =\n  worse\n[c]\nk =\n  bad\n")
    add("nested-error-in-credentials", "", "[a]\nk =\n  x = 1\n  bad\n")
    add("repeated-section-before-duplicate-key", "[a]\n[b]\n[a]\nk = 1\nk = 2\n")
    add("duplicate-key-before-repeated-section", "[a]\nk = 1\nk = 2\n[a]\n")
    add("repeated-section-after-many", "".join(f"[profile p{i}]\nk = {i}\n" for i in range(300)) + "[profile p7]\n")
    add("many-keys-then-duplicate", "[a]\n" + "".join(f"k{i} = {i}\n" for i in range(40)) + "k3 = again\n")
    add("nested-error-after-decode-error", b"[a]\nk =\n  bad\n\xff\n")
    add("sso-session", "[sso-session corp]\nsso_region = us-east-1\n[profile a]\nsso_session = corp\n")
    add("services", "[services local]\nsts =\n  endpoint_url = http://localhost:4566\n[default]\nservices = local\n")
    add("unicode-profile-names", "[profile café]\nregion = x\n[profile 日本]\nk = v\n[profile \u00a0x]\n", "[ünï]\nk = 1\n")
    add("nbsp-in-header", "[profile\u00a0a]\nregion = x\n")
    add("profile-name-odd-chars", "[profile -dash]\nk = 1\n[profile a.b]\nk = 2\n[profile a=b]\nk = 3\n[profile #x]\nk = 4\n")
    add("profile-word-variants", "[profilex a]\nk = 1\n[profiles b]\nk = 2\n[profile\"\" c]\nk = 3\n")
    add("sso-session-variants", "[sso-session]\na = 1\n[sso-session x y]\nb = 2\n[sso-sessionx z]\nc = 3\n")

    # Values.
    add("quotes-in-values", "[default]\nregion = \"us-east-1\"\nk = 'single'\nj = a\"b\n")
    add("equals-in-value", "[default]\nk = a=b=c\nj==x\ni = =\n")
    add("hash-in-value", "[default]\nk = a # not a comment\nj = a;b ; c\ni = #start\n")
    add("colon-separator", "[default]\nregion: us-east-1\nk:v\nurl = https://example.com:8443/x\na:b = c\n")
    add("colon-before-equals", "[default]\nk:a=b\nj=a:b\n")
    add("empty-values", "[default]\na =\nb:\nc =    \nd = \t\n")
    add("empty-key", "[default]\n= value\n")
    add("empty-key-colon", "[default]\n  : value\n")
    add("no-delimiter", "[default]\nregion us-east-1\n")
    add("key-only-after-value", "[default]\nk = v\nflag\n")
    add("uppercase-keys", "[default]\nREGION = x\nAws_Access_Key_Id = y\n", "[default]\nAWS_SECRET_ACCESS_KEY = z\n")
    add("unicode-keys", "[default]\nÄrger = 1\nŒuvre = 2\nİstanbul = 3\nΔelta = 4\n")
    add("all-lowercase-mappings", "[default]\n" + all_uppercase_keys())
    add("unicode-values", "[default]\nk = 🙂 ünïcödé\nj = 日本語\ni = a\u2028b\nh = \u0085x\u0085\n")
    add("long-line", "[default]\nk = " + "x" * 100000 + "\nj = " + "é" * 30000 + "\n")
    add("long-key", "[default]\n" + "k" * 5000 + " = v\n")
    add("many-sections", "".join(f"[profile p{i}]\nk = {i}\n" for i in range(1000)))
    add("many-keys", "[default]\n" + "".join(f"key{i} = {i}\n" for i in range(1000)))

    # Comments.
    add("comments", "# top\n; also\n[default]\n# inside\n   # indented\nregion = x\n;last\n")
    add("comment-before-header-only", "# only a comment\n")
    add("text-before-header", "region = x\n[default]\n")
    add("blank-then-text-before-header", "\n\n  \nregion = x\n")
    add("comment-in-continuation", "[default]\nk = a\n  # not part\n  b\n;\n  c\n")

    # Continuation lines and nested blocks.
    add("continuation", "[default]\nk = first\n  second\n    third\nj = x\n")
    add("continuation-blank-lines", "[default]\nk = first\n\n  after blank\n\n\nj = x\n")
    add("continuation-trailing-blank", "[default]\nk = first\n  second\n\n\n")
    add("nested", "[default]\ns3 =\n  addressing_style = path\n  signature_version = s3v4\nregion = x\n")
    add("nested-colon", "[default]\ns3 =\n  addressing_style: path\n")
    add("nested-no-equals", "[default]\ns3 =\n  addressing_style\n")
    add("nested-duplicate", "[default]\ns3 =\n  a = 1\n  a = 2\n  b == c\n")
    add("nested-blank-first", "[default]\ns3 =\n\n  a = 1\n")
    add("nested-only-blank", "[default]\ns3 =\n\n\nregion = x\n")
    add("nested-in-credentials", "[default]\ns3 =\n  a = config\n", "[default]\ns3 =\n  b = creds\n")
    add("nested-vs-plain", "[default]\ns3 =\n  a = 1\nregion = x\n", "[default]\ns3 = plain\n")
    add("plain-vs-nested", "[default]\ns3 = plain\n", "[default]\ns3 =\n  a = 1\n")
    add("nested-unicode-breaks", "[default]\ns3 =\n  a = 1\u2028b = 2\x1cc = 3\n  d = 4\x0be = 5\n")
    add("nested-unicode-break-error", "[default]\ns3 =\n  a = 1\u2029junk\n")
    add("nested-empty-key", "[default]\ns3 =\n  = 1\n")
    add("indented-first-option", "[default]\n  a = 1\nb = 2\n    c\n")
    add("indented-options", "[default]\n  a = 1\n  b = 2\n    cont\n  c = 3\n")
    add("less-indented-continuation", "[default]\n    a = 1\n  b = 2\n      cont\n")
    add("indented-header", "  [default]\n  a = 1\n    cont\n")
    add("continuation-after-header", "[default]\n  region = x\n")
    add("continuation-after-error", "[default]\nk = v\nbogus\n  cont\n")
    add("unicode-indent-width", "[default]\n\u3000a = 1\n b = 2\n")

    # Credentials and config together.
    add("credentials-win", "[default]\nregion = config\naws_access_key_id = config\n",
        "[default]\naws_access_key_id = creds\n")
    add("credentials-profile-word", "", "[profile a]\naws_access_key_id = x\n[a]\nk = 1\n")
    add("credentials-only-profiles", "[profile z]\n", "[b]\n[a]\n[z]\nk = 1\n")
    add("credentials-order", "[profile c]\n[profile a]\n", "[b]\n[a]\n[default]\n")
    add("credentials-error", "[default]\n", "[default]\nbogus\n")
    add("both-errors", "[default]\nbogus\n", "[default]\n[default]\n")
    add("config-ok-credentials-bom", "[profile a]\n", b"\xef\xbb\xbf[a]\n")
    return c


# Random files: building blocks chosen to hit the same rules, most files valid.
NAMES = ["default", "dev", "prod", "a b", "x", "café", "Dev", "-dash", "a.b", "", "q\"x", "DEFAULT", "p1", "p2",
         "team/ops", "ünï"]
KEYS = ["region", "output", "aws_access_key_id", "aws_secret_access_key", "mfa_serial", "role_arn",
        "source_profile", "s3", "services", "mfaenv_mfa_max_age", "ÄPFEL", "k", "a b", "x.y", "-opt"]
VALUE_BITS = ["us-east-1", "", "=", "#", ";", ":", "\"q\"", "'s'", "é", "🙂", "\u00a0", "\t", " ", "a=b",
              "# c", "\u2028", "\x1c", "\\", "[x]", "arn:aws:iam::123456789012:mfa/alice"]
SPACES = ["", " ", "  ", "\t", " \t", "\u3000", "\u00a0"]


def random_header(rng, credentials):
    name = rng.choice(NAMES)
    if credentials:
        form = rng.choice(["{n}", "{n}", "profile {n}", " {n}"])
    else:
        form = rng.choice(["profile {n}", "profile {n}", "profile \"{n}\"", "profile  {n}", " profile {n}",
                           "profile'{n}'", "profile", "{n}", "sso-session {n}", "profile {n} # c"])
    if name == "default" and not credentials and rng.random() < 0.5:
        form = "default"
    return "[" + form.format(n=name) + "]"


def random_value(rng, bits=VALUE_BITS):
    return "".join(rng.choice(bits) for _ in range(rng.choice([0, 1, 1, 2, 2, 3])))


# Bits that keep a nested "name = value" line one line (no str.splitlines() breaks).
NESTED_BITS = [bit for bit in VALUE_BITS if bit not in ("\u2028", "\x1c")]


def random_file(rng, credentials):
    lines = []
    if rng.random() < 0.1:
        lines.append(rng.choice(["# comment", "; comment", ""]))
    if rng.random() < 0.1:
        lines.append("[DEFAULT]")
        lines.append(f"{rng.choice(KEYS)} = {random_value(rng)}")
    headers = set()
    for _ in range(rng.randrange(0, 5)):
        header = random_header(rng, credentials)
        if header in headers and rng.random() < 0.8:
            continue  # a duplicate section now and then, not in most files
        headers.add(header)
        lines.append((" " if rng.random() < 0.05 else "") + header)
        indent = rng.choice(["", "", "", "  "])
        keys = [k.upper() if rng.random() < 0.05 else k for k in rng.sample(KEYS, rng.randrange(0, 5))]
        if keys and rng.random() < 0.015:
            keys.append(keys[0].upper())
        for key in keys:
            roll = rng.random()
            sep = rng.choice(["=", "=", "=", ":"])
            if roll < 0.6:
                lines.append(f"{indent}{key}{rng.choice(SPACES)}{sep}{rng.choice(SPACES)}{random_value(rng)}"
                             f"{rng.choice(SPACES)}")
            elif roll < 0.75:
                lines.append(f"{indent}{key} =")
                for _ in range(rng.randrange(1, 4)):
                    sub = rng.choice(["addressing_style", "endpoint_url", "a", "B"])
                    sep = "=" if rng.random() < 0.95 else ":"
                    lines.append(f"{indent}  {sub} {sep} {random_value(rng, NESTED_BITS)}")
            elif roll < 0.87:
                lines.append(f"{indent}{key} = {rng.choice(['first', 'a=b', '', 'x'])}")
                lines.append(indent + rng.choice(["  ", " ", "\t"]) + random_value(rng))
            elif roll < 0.99:
                lines.append(rng.choice(["", "# comment", "   ; indented comment", "\t"]))
            elif roll < 0.995:
                lines.append(rng.choice(["not a setting", "= empty key", "[", "[]"]))
            else:
                lines.append(rng.choice(["\ufeff[default]", "  continuation"]))
    eol = rng.choice(["\n", "\n", "\n", "\r\n", "\r"])
    text = eol.join(lines) + (eol if rng.random() < 0.8 else "")
    data = text.encode("utf-8")
    if rng.random() < 0.02:
        data = b"\xef\xbb\xbf" + data
    if rng.random() < 0.02 and data:
        at = rng.randrange(len(data))
        data = data[:at] + rng.choice([b"\xff", b"\xc3", b"\x80"]) + data[at:]
    return data


def random_cases(seed, count):
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        config = random_file(rng, credentials=False)
        credentials = random_file(rng, credentials=True)
        if rng.random() < 0.03:
            config = MISSING
        if rng.random() < 0.03:
            credentials = rng.choice([MISSING, DIRECTORY])
        cases.append((f"random-{seed}-{i}", config, credentials))
    return cases


# Byte-level mutations of the hand-written cases: small edits with the characters the rules turn on.
MUTATION_BITS = ["[", "]", "=", ":", "#", ";", " ", "\t", "\n", "\r", "\r\n", "\"", "'", "\\", "profile ",
                 "default", "DEFAULT", "\u00a0", "\u2028", "\x1c", "\x0b", "  ", "\n  ", "\n[", "=\n  a = b\n",
                 "é", "K"]


def mutate(rng, data):
    for _ in range(rng.randrange(1, 4)):
        at = rng.randrange(len(data) + 1)
        bit = rng.choice(MUTATION_BITS).encode("utf-8")
        roll = rng.random()
        if roll < 0.5:
            data = data[:at] + bit + data[at:]
        elif roll < 0.8:
            data = data[:at] + data[at + rng.randrange(1, 4):]
        else:
            data = data[:at] + bit + data[at + len(bit):]
    return data


def mutated_cases(seed, count):
    rng = random.Random(seed)
    bases = [case for case in nasty_cases() if all(isinstance(f, bytes) and len(f) < 2000 for f in case[1:])]
    cases = []
    for i in range(count):
        name, config, credentials = rng.choice(bases)
        if rng.random() < 0.7:
            config = mutate(rng, config)
        else:
            credentials = mutate(rng, credentials)
        cases.append((f"mutated-{seed}-{i}-{name}", config, credentials))
    return cases
