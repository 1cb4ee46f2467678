#!/usr/bin/python3
"""Turns what bench/run measured (hyperfine JSON, GNU time RSS, LD_DEBUG=libs, strace) into the
markdown of bench/RESULTS.md, printed on stdout: times, ratios, the issue's targets with a verdict,
and the hot-path facts (shared objects, files opened, sockets) that explain a miss."""
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
COMMANDS = {"floor": "floor", "env_cmd": "mfaenv env", "cp_cmd": "mfaenv credential-process"}
FORBIDDEN = re.compile(r"lib(curl|ssl|crypto|gnutls|nss3|dbus|systemd|gssapi|ldap|ssh|nghttp2)")
TARGET_FLOOR_RATIO, TARGET_SEED_SPEEDUP, TARGET_RSS_KIB = 2.0, 30.0, 8 * 1024


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
    """From callgrind_annotate --inclusive: total, ld.so start-up (symbol binding), main(), and the
    command's own action (mfaenv's add_X_command callback); None when valgrind was not there."""
    path = os.path.join(work, f"callgrind.{name}.txt")
    if not os.path.exists(path):
        return None
    with open(path) as f:
        text = f.read()

    def first(pattern):
        m = re.search(r"^\s*([\d,]+) \([^)]*\)\s+" + pattern, text, re.M)
        return int(m.group(1).replace(",", "")) if m else 0
    return {"total": first(r"PROGRAM TOTALS"), "ld.so": first(r"\S*:_dl_start \["),
            "main": first(r"\S+:main \["),
            "action": first(r"\S+:std::_Function_handler<mfaenv::Result<void> \(\), mfaenv::add_\w+_command")}


def rss(work, name):
    with open(os.path.join(work, "rss." + name)) as f:
        values = [int(v) for v in f.read().split() if v.isdigit()]
    return max(values), statistics.median(values)


def verdict(ok, miss):
    return "**met**" if ok else f"**missed** ({miss})"


def describe_path(path, home):
    return path.replace(home, "~") if home and path.startswith(home) else path


def main():
    parser = argparse.ArgumentParser()
    for option in ("--work", "--home", "--mfaenv", "--load-before", "--load-after", "--settings"):
        parser.add_argument(option, required=True)
    args = parser.parse_args()
    with open(os.path.join(args.work, "hyperfine.json")) as f:
        results = json.load(f)["results"]
    by_name = {r["command"]: r for r in results}
    floor = results[0]
    env, cp, seed, aws = (by_name[n] for n in (
        "mfaenv env alice --no-prompt", "mfaenv credential-process alice --no-prompt",
        "seed flow: jq x3 + direnv dump", "aws configure export-credentials"))

    commit = output("git", "-C", SOURCE_DIR, "rev-parse", "--short", "HEAD")
    dirty = " with uncommitted changes" if output("git", "-C", SOURCE_DIR, "status", "--porcelain") else ""
    with open(os.path.join(args.work, "hello.flags")) as f:
        flags = f.read().strip()
    p = print
    p("# mfaenv benchmark results\n")
    p(f"Written by `make bench` (bench/run, see docs/benchmarks.md) on {time.strftime('%Y-%m-%d %H:%M %Z')}.")
    p(f"mfaenv at commit {commit}{dirty}; {output(args.mfaenv, '--version')}; "
      f"{output('hyperfine', '--version')}; {output('/usr/bin/aws', '--version').split(' ')[0]}.")
    p(f"Machine: {cpu_model()}, {os.cpu_count()} cores, Linux {platform.release()}. "
      f"**Load average (1 min): {args.load_before} before the timed runs, {args.load_after} after** "
      f"(other work on the machine inflates every row, the floor too; ratios suffer less than times).")
    p(f"hyperfine -N (no shell) {args.settings}; every command runs with a clean environment and a "
      f"throw-away HOME whose mfaenv cache holds a valid session (the emulator is stopped by then).")
    p(f"Floor compiled as: `{flags}`.\n")

    p("## Times\n")
    p("| command | median | min | max | mean ± σ | user | system | runs | median / floor | min / floor "
      "| CPU / floor |")
    p("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    floor_cpu = floor["user"] + floor["system"]
    for r in results:
        p(f"| {r['command']} | {ms(r['median'])} | {ms(r['min'])} | {ms(r['max'])} | "
          f"{ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['user'])} | {ms(r['system'])} | "
          f"{len(r['times'])} | {r['median'] / floor['median']:.2f}× | {r['min'] / floor['min']:.2f}× | "
          f"{(r['user'] + r['system']) / floor_cpu:.2f}× |")
    p("\nCPU = user + system time (hyperfine's means). hyperfine runs the commands one after the other, "
      "so when the load changes during the run the median ratios drift; the min ratio (each "
      "command's best run) and the CPU ratio do not count waiting for a core and are the steadier "
      "figures on a busy machine.")
    p(f"\nThe seed flow takes **{seed['median'] / env['median']:.1f}×** the median of `mfaenv env` and "
      f"{seed['median'] / cp['median']:.1f}× that of `mfaenv credential-process`; "
      f"`aws configure export-credentials` takes {aws['median'] / env['median']:.0f}× `mfaenv env`.\n")

    rss_env, rss_env_median = rss(args.work, "env_cmd")
    rss_cp, _ = rss(args.work, "cp_cmd")
    rss_floor, _ = rss(args.work, "floor")
    env_ratio, cp_ratio = env["median"] / floor["median"], cp["median"] / floor["median"]
    speedup = seed["median"] / max(env["median"], cp["median"])
    p("## Targets (issue 5 item 9)\n")
    p("| target | measured | verdict |")
    p("|---|---|---|")
    for label, r, ratio in (("env", env, env_ratio), ("credential-process", cp, cp_ratio)):
        others = {"min": r["min"] / floor["min"], "CPU": (r["user"] + r["system"]) / floor_cpu}
        disagree = [k for k, v in others.items() if (v <= TARGET_FLOOR_RATIO) != (ratio <= TARGET_FLOOR_RATIO)]
        note = f" (but the {' and '.join(disagree)} ratio disagrees: the load changed during the run)" \
            if disagree else ""
        p(f"| warm `{label}` within {TARGET_FLOOR_RATIO:.0f}× the floor | {ratio:.2f}× median, "
          f"{others['min']:.2f}× min, {others['CPU']:.2f}× CPU | "
          f"{verdict(ratio <= TARGET_FLOOR_RATIO, f'by {ratio / TARGET_FLOOR_RATIO:.2f}×')}{note} |")
    p(f"| ≥ {TARGET_SEED_SPEEDUP:.0f}× faster than the seed flow (the slower of the two) | {speedup:.1f}× | "
      f"{verdict(speedup >= TARGET_SEED_SPEEDUP, f'{TARGET_SEED_SPEEDUP / speedup:.2f}× short')} |")
    p(f"| peak RSS of `env` under 8 MiB | {rss_env / 1024:.2f} MiB max (median {rss_env_median / 1024:.2f}; "
      f"credential-process {rss_cp / 1024:.2f}, floor {rss_floor / 1024:.2f}) | "
      f"{verdict(rss_env < TARGET_RSS_KIB, f'by {(rss_env - TARGET_RSS_KIB) / 1024:.2f} MiB')} |")

    p("\n## What the warm path does (why the numbers are what they are)\n")
    p("| | floor | mfaenv env | mfaenv credential-process |")
    p("|---|---:|---:|---:|")
    counts = {n: syscall_total(args.work, n) for n in COMMANDS}
    objects = {n: shared_objects(args.work, n) for n in COMMANDS}
    traces = {n: traced(args.work, n) for n in COMMANDS}
    p("| system calls (strace -c) | " + " | ".join(str(counts[n]) for n in COMMANDS) + " |")
    p("| shared objects mapped (LD_DEBUG=libs) | " + " | ".join(str(len(objects[n])) for n in COMMANDS) + " |")
    p("| files opened | " + " | ".join(str(sum(traces[n][0].values())) for n in COMMANDS) + " |")
    p("| sockets / connects | " + " | ".join(str(traces[n][2]) for n in COMMANDS) + " |")
    p(f"| user + system CPU (hyperfine mean) | {ms(floor['user'] + floor['system'])} | "
      f"{ms(env['user'] + env['system'])} | {ms(cp['user'] + cp['system'])} |")
    counted = {n: instructions(args.work, n) for n in COMMANDS}
    if all(counted.values()):
        def row(label, key):
            p(f"| {label} | " + " | ".join(f"{counted[n][key]:,}" for n in COMMANDS) + " |")
        row("instructions (callgrind)", "total")
        row("… in ld.so start-up (loading, symbol binding)", "ld.so")
        row("… in main()", "main")
        row("… in the command's own action", "action")

    bad = sorted({o for n in ("env_cmd", "cp_cmd") for o in objects[n] if FORBIDDEN.search(o)})
    p("\nShared objects `mfaenv env` maps: " + ", ".join(f"`{os.path.basename(o)}`" for o in objects["env_cmd"]) + ".")
    if bad:
        p(f"\n**Hot-path rule VIOLATED**: the warm path maps {', '.join(bad)} (DESIGN.md §7).")
    else:
        p("\n**No libcurl, libssl/libcrypto, GnuTLS or D-Bus** is mapped by `env` or `credential-process` "
          "on the warm path (checked with LD_DEBUG=libs, which also sees dlopen()), and they open no "
          "socket: the hot-path rule of DESIGN.md §7 holds.")
    opened = traces["env_cmd"][0]
    files = [f"`{describe_path(path, args.home)}` ×{n}" for path, n in sorted(opened.items())
             if not re.search(r"\.so(\.|$)|ld\.so\.cache|/proc/|/sys/|/dev/", path)]
    p("Files `mfaenv env` opens besides shared objects: " + (", ".join(files) or "none") + ".")
    extra = (env["min"] - floor["min"]) * 1000
    p(f"\n`mfaenv env`'s best run is {extra:.2f} ms slower than the floor's, with "
      f"{counts['env_cmd'] - counts['floor']:+d} system calls and "
      f"{len(objects['env_cmd']) - len(objects['floor']):+d} shared objects; the seed flow starts "
      f"bash, three `cat | jq` pipelines and direnv (a Go binary), and the AWS CLI starts Python and "
      f"imports botocore, which is where their time goes.")
    if all(counted.values()):
        e, f = counted["env_cmd"], counted["floor"]
        dynamic_libstdcxx = any("libstdc++" in o for o in objects["env_cmd"])
        p(f"\nIn instructions `mfaenv env` runs {e['total'] / f['total']:.2f}× the floor. ld.so start-up: "
          f"{e['ld.so']:,} against the floor's {f['ld.so']:,} ({f['ld.so'] / f['total']:.0%} of the floor"
          + (", mostly binding the symbols of the shared libstdc++" if dynamic_libstdcxx else "") + "). "
          f"main(): {e['main']:,} against {f['main']:,}"
          + (f"; the env action itself (config, cache file, JSON, output) is {e['action']:,} of it, "
             f"the other {e['main'] - e['action']:,} build and parse the CLI11 command tree of every "
             f"subcommand" if e["action"] else "") + ". "
          "On a loaded machine each extra slice of CPU is another chance to wait for a core, so the "
          "wall-time ratio comes out worse than the CPU ratio.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
