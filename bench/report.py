#!/usr/bin/python3
"""Turns what bench/run measured (hyperfine JSON, callgrind, GNU time RSS, LD_DEBUG=libs, strace)
into the markdown of bench/RESULTS.md, printed on stdout: times and instructions against the floor,
the old binary against the new (A/B), issue 15's targets with a verdict, and the hot-path facts
(shared objects, files opened, sockets, where the instructions go) that explain a miss."""
import argparse
import glob
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import time

SOURCE_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
COMMANDS = {"floor": "floor", "env_cmd": "mfaenv env", "cp_cmd": "mfaenv credential-process",
            "old_env_cmd": "old mfaenv env"}
NAMES = {  # bench/run's variable -> hyperfine's command name
    "floor": "floor: C++ hello-world", "env_cmd": "mfaenv env alice --no-prompt",
    "cp_cmd": "mfaenv credential-process alice --no-prompt", "launcher": "launcher: C++ execv of /bin/true",
    "exec_cmd": "mfaenv exec alice --no-prompt -- /bin/true", "old_env_cmd": "old mfaenv env alice --no-prompt",
    "old_cp_cmd": "old mfaenv credential-process alice --no-prompt",
    "old_exec_cmd": "old mfaenv exec alice --no-prompt -- /bin/true",
    "seed_cmd": "seed flow: jq x3 + direnv dump", "aws_cmd": "aws configure export-credentials"}
FORBIDDEN = re.compile(r"lib(curl|ssl|crypto|gnutls|nss3|dbus|systemd|gssapi|ldap|ssh|nghttp2)")
# Issue 15: instructions and CPU <= the floor, median wall <= 1.1x, RSS <= 4 MiB, exec <= 1.2x the
# launcher; issue 5: >= 30x faster than the seed's shell flow.
TARGET_CPU, TARGET_WALL, TARGET_RSS_KIB, TARGET_EXEC, TARGET_SEED_SPEEDUP = 1.0, 1.1, 4 * 1024, 1.2, 30.0


def ms(seconds):
    return f"{seconds * 1000:.2f} ms" if seconds < 10 else f"{seconds:.2f} s"


def output(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return ""


def cpu_model():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"


def shared_objects(work, name):
    """Objects whose initialisers ld.so ran: every library mapped, including dlopen()ed ones."""
    objects = []
    for path in glob.glob(os.path.join(work, "ld", name + ".*")):
        with open(path) as f:
            objects += re.findall(r"calling init: (\S+)", f.read())
    return sorted(set(objects))


def traced(work, name):
    """Files opened (path -> count, failed opens apart), sockets and reads in an strace -f log."""
    opened, missing, sockets, reads = {}, {}, 0, 0
    with open(os.path.join(work, "strace." + name)) as f:
        for line in f:
            m = re.search(r'\bopen(?:at)?\((?:AT_FDCWD, )?"([^"]*)".*\) = (-?\d+)', line)
            if m:
                table = opened if int(m.group(2)) >= 0 else missing
                table[m.group(1)] = table.get(m.group(1), 0) + 1
            if re.search(r"\b(socket|connect)\(", line):
                sockets += 1
            if re.search(r"\bread\(", line):
                reads += 1
    return opened, missing, sockets, reads


def syscall_total(work, name):
    with open(os.path.join(work, "syscalls." + name)) as f:
        for line in f:
            fields = line.split()
            if fields and fields[-1] == "total":
                return int(fields[3] if len(fields) >= 6 else fields[2])
    return None


def instructions(work, name):
    """From callgrind_annotate --inclusive: the total over every part (exec's /bin/true included),
    and for the program's own first part: ld.so start-up, static initialisers, <iostream>'s
    start-up, main(), and the command's action. None when callgrind wrote nothing."""
    parts = sorted(glob.glob(os.path.join(work, f"callgrind.{name}.*.txt")))
    if not parts:
        return None

    def read(path):
        with open(path) as f:
            return f.read()

    def first(text, pattern):
        m = re.search(r"^\s*([\d,]+) \([^)]*\)\s+" + pattern, text, re.M)
        return int(m.group(1).replace(",", "")) if m else 0

    total = sum(first(read(p), r"PROGRAM TOTALS") for p in parts)
    own = [p for p in parts if re.search(r"\.\d+\.1\.txt$", p)] or parts
    text = read(own[0])
    static_init = sum(int(v.replace(",", "")) for v in re.findall(
        r"^\s*([\d,]+) \([^)]*\)\s+\S*:_GLOBAL__sub_I_\S* \[", text, re.M))
    action = first(text, r"\S+:mfaenv::(?:env|credential_process|exec)_command\(") or \
        first(text, r"\S+:std::_Function_handler<mfaenv::Result<void> \(\), mfaenv::add_\w+_command")
    return {"total": total, "ld.so": first(text, r"\S*:_dl_start \["), "init": static_init,
            "iostream": first(text, r"\S*:std::ios_base::Init::Init\(\)"),
            "main": first(text, r"\S+:main \["), "action": action}


def rss(work, name):
    with open(os.path.join(work, "rss." + name)) as f:
        values = [int(v) for v in f.read().split() if v.isdigit()]
    return max(values), statistics.median(values)


def verdict(ok, miss):
    return "**met**" if ok else f"**missed** ({miss})"


def describe_path(path, home):
    return path.replace(home, "~") if home and path.startswith(home) else path


def cpu(r):
    return r["user"] + r["system"]


def main():
    parser = argparse.ArgumentParser()
    for option in ("--work", "--home", "--mfaenv", "--old-mfaenv", "--old-commit", "--load-before",
                   "--load-after", "--settings"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    with open(os.path.join(args.work, "hyperfine.json")) as f:
        results = json.load(f)["results"]
    by_name = {r["command"]: r for r in results}
    r = {key: by_name[name] for key, name in NAMES.items()}
    floor, launcher = r["floor"], r["launcher"]
    counted = {key: instructions(args.work, key) for key in NAMES if key not in ("seed_cmd", "aws_cmd")}
    rss_of = {key: rss(args.work, key) for key in counted}

    commit = output("git", "-C", SOURCE_DIR, "rev-parse", "--short", "HEAD")
    dirty = " with uncommitted changes" if output("git", "-C", SOURCE_DIR, "status", "--porcelain") else ""
    with open(os.path.join(args.work, "hello.flags")) as f:
        flags = f.read().strip()
    p = print
    p("# mfaenv benchmark results\n")
    p(f"Written by `make bench` (bench/run, see docs/benchmarks.md) on {time.strftime('%Y-%m-%d %H:%M %Z')}.")
    p(f"mfaenv at commit {commit}{dirty}; {output(args.mfaenv, '--version')}; the old binary (A/B) built "
      f"from commit {args.old_commit[:7]}; {output('hyperfine', '--version')}; "
      f"{output('/usr/bin/aws', '--version').split(' ')[0]}.")
    p(f"Machine: {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}. "
      f"**Load average (1 min): {args.load_before} before the timed runs, {args.load_after} after** "
      f"(other work on the machine inflates every row, the floor too; ratios suffer less than times).")
    p(f"hyperfine -N (no shell) {args.settings}; every command runs with a clean environment and a "
      f"throw-away HOME whose mfaenv cache holds a valid session (the emulator is stopped by then).")
    p(f"Floor and launcher compiled as users' C++ tools are: `{flags}`, shared libstdc++ "
      f"(bench/hello.cc, bench/launcher.cc).\n")

    p("## Times\n")
    p("| command | median | min | max | mean ± σ | user | system | runs | median / floor | min / floor "
      "| CPU / floor |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for x in results:
        p(f"| {x['command']} | {ms(x['median'])} | {ms(x['min'])} | {ms(x['max'])} | "
          f"{ms(x['mean'])} ± {ms(x['stddev'] or 0)} | {ms(x['user'])} | {ms(x['system'])} | "
          f"{len(x['times'])} | {x['median'] / floor['median']:.2f}× | {x['min'] / floor['min']:.2f}× | "
          f"{cpu(x) / cpu(floor):.2f}× |")
    p("\nCPU = user + system time (hyperfine's means). hyperfine runs the commands one after the other, "
      "so when the load changes during the run the median ratios drift; the min ratio (each "
      "command's best run), the CPU ratio and the instruction counts below do not count waiting for a "
      "core and are the steadier figures on a busy machine.\n")

    p("## Instructions (callgrind) and peak RSS\n")
    p("| command | instructions | / floor | ld.so start-up | static initialisers | of which `<iostream>` "
      "| main() | the command's action | peak RSS (max of runs) |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, c in counted.items():
        if not c:
            continue
        p(f"| {NAMES[key]} | {c['total']:,} | {c['total'] / counted['floor']['total']:.2f}× | {c['ld.so']:,} | "
          f"{c['init']:,} | {c['iostream']:,} | {c['main']:,} | {c['action']:,} | {rss_of[key][0] / 1024:.2f} MiB |")
    p("\nexec rows count mfaenv (or the launcher) and the `/bin/true` it runs; the split columns are the "
      "program's own part, before it calls execv.\n")

    p("## A/B: the old binary against the new\n")
    p("| command | old median | new median | old min | new min | old CPU | new CPU | old instructions "
      "| new instructions | old RSS | new RSS |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, old, new in (("env", "old_env_cmd", "env_cmd"), ("credential-process", "old_cp_cmd", "cp_cmd"),
                            ("exec -- /bin/true", "old_exec_cmd", "exec_cmd")):
        o, n = r[old], r[new]
        oi, ni = counted[old] or {"total": 0}, counted[new] or {"total": 0}
        p(f"| {label} | {ms(o['median'])} | {ms(n['median'])} ({n['median'] / o['median']:.2f}×) | {ms(o['min'])} | "
          f"{ms(n['min'])} ({n['min'] / o['min']:.2f}×) | {ms(cpu(o))} | {ms(cpu(n))} ({cpu(n) / cpu(o):.2f}×) | "
          f"{oi['total']:,} | {ni['total']:,} ({ni['total'] / max(oi['total'], 1):.2f}×) | "
          f"{rss_of[old][0] / 1024:.2f} MiB | {rss_of[new][0] / 1024:.2f} MiB |")

    p("\n## Targets (issue 15; the seed-flow one from issue 5)\n")
    p("| target | measured | verdict |")
    p("|---|---|---|")
    fi = counted["floor"]["total"]
    for label, key in (("env", "env_cmd"), ("credential-process", "cp_cmd")):
        x, ins = r[key], counted[key]["total"]
        p(f"| warm `{label}` ≤ {TARGET_CPU:.1f}× the floor in instructions | {ins / fi:.2f}× ({ins:,} / {fi:,}) | "
          f"{verdict(ins / fi <= TARGET_CPU, f'by {ins / fi:.2f}×')} |")
        ratio = cpu(x) / cpu(floor)
        p(f"| warm `{label}` ≤ {TARGET_CPU:.1f}× the floor in CPU time | {ratio:.2f}× ({ms(cpu(x))} / "
          f"{ms(cpu(floor))}) | {verdict(ratio <= TARGET_CPU, f'{ratio:.2f}×')} |")
        ratio = x["median"] / floor["median"]
        p(f"| warm `{label}` ≤ {TARGET_WALL:.1f}× the floor in median wall time | {ratio:.2f}× median "
          f"({x['min'] / floor['min']:.2f}× min) | {verdict(ratio <= TARGET_WALL, f'{ratio:.2f}×')} |")
    rss_env = rss_of["env_cmd"][0]
    p(f"| peak RSS of warm `env` ≤ 4 MiB | {rss_env / 1024:.2f} MiB max (median {rss_of['env_cmd'][1] / 1024:.2f}; "
      f"floor {rss_of['floor'][0] / 1024:.2f}) | "
      f"{verdict(rss_env <= TARGET_RSS_KIB, f'by {(rss_env - TARGET_RSS_KIB) / 1024:.2f} MiB')} |")
    e = r["exec_cmd"]
    ratio = e["median"] / launcher["median"]
    p(f"| `mfaenv exec alice -- /bin/true` ≤ {TARGET_EXEC:.1f}× a C++ launcher's execv of it (median wall) | "
      f"{ratio:.2f}× median, {e['min'] / launcher['min']:.2f}× min, {cpu(e) / cpu(launcher):.2f}× CPU | "
      f"{verdict(ratio <= TARGET_EXEC, f'{ratio:.2f}×')} |")
    speedup = r["seed_cmd"]["median"] / max(r["env_cmd"]["median"], r["cp_cmd"]["median"])
    p(f"| ≥ {TARGET_SEED_SPEEDUP:.0f}× faster than the seed flow (the slower of env, credential-process) | "
      f"{speedup:.1f}× | {verdict(speedup >= TARGET_SEED_SPEEDUP, f'{TARGET_SEED_SPEEDUP / speedup:.2f}× short')} |")

    p("\n## What the warm path does (why the numbers are what they are)\n")
    p("| | " + " | ".join(COMMANDS.values()) + " |")
    p("|---|" + "---:|" * len(COMMANDS))
    counts = {n: syscall_total(args.work, n) for n in COMMANDS}
    objects = {n: shared_objects(args.work, n) for n in COMMANDS}
    traces = {n: traced(args.work, n) for n in COMMANDS}
    p("| system calls (strace -c) | " + " | ".join(str(counts[n]) for n in COMMANDS) + " |")
    p("| shared objects mapped (LD_DEBUG=libs) | " + " | ".join(str(len(objects[n])) for n in COMMANDS) + " |")
    p("| files opened | " + " | ".join(str(sum(traces[n][0].values())) for n in COMMANDS) + " |")
    p("| sockets / connects | " + " | ".join(str(traces[n][2]) for n in COMMANDS) + " |")

    bad = sorted({o for n in ("env_cmd", "cp_cmd") for o in objects[n] if FORBIDDEN.search(o)})
    p("\nShared objects `mfaenv env` maps: " + ", ".join(f"`{os.path.basename(o)}`" for o in objects["env_cmd"]) +
      " (libstdc++ and libgcc are linked in; glibc stays shared so that libcurl can be dlopen()ed off this path).")
    if bad:
        p(f"\n**Hot-path rule VIOLATED**: the warm path maps {', '.join(bad)} (docs/design.md §7).")
    else:
        p("\n**No libcurl, libssl/libcrypto, GnuTLS or D-Bus** is mapped by `env` or `credential-process` "
          "on the warm path (checked with LD_DEBUG=libs, which also sees dlopen()), and they open no "
          "socket: the hot-path rule holds.")
    opened = traces["env_cmd"][0]
    files = [f"`{describe_path(path, args.home)}` ×{n}" for path, n in sorted(opened.items())
             if not re.search(r"\.so(\.|$)|ld\.so\.cache|/proc/|/sys/|/dev/", path)]
    p("Files `mfaenv env` opens besides shared objects: " + (", ".join(files) or "none") + ".")
    n, o, f = counted["env_cmd"], counted["old_env_cmd"], counted["floor"]
    p(f"\nIn instructions the floor spends {f['ld.so']:,} of its {f['total']:,} in ld.so binding the shared "
      f"libstdc++'s symbols and {f['iostream']:,} building `<iostream>`'s streams and locale. The old mfaenv "
      f"paid the same ld.so cost ({o['ld.so']:,}) and then {o['main'] - o['action']:,} in main() building "
      f"CLI11's tree of every command before its action ({o['action']:,}). The new one: ld.so {n['ld.so']:,}, "
      f"static initialisers {n['init']:,} (`<iostream>`: {n['iostream']:,}), main() {n['main']:,} of which "
      f"the action (config, cache file, output) is {n['action']:,}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
