#!/usr/bin/env python3
"""Independent oracle for OpenClaw transcript ingestion.

Usage:  oracle_transcripts.py STATE_DIR
        (STATE_DIR holds agents/<agentId>/sessions/; a directory whose openclaw/ subdirectory
        holds agents/ is accepted too, e.g. the --out directory of `homebase generate`.)

Written from the rules in reference/openclaw-logs.md and reference/openclaw-samples/README.md,
not from the generator, with Python's json module. It prints ONE JSON object (keys sorted,
two-space indent) on stdout:

  files                  {"included": n, "excluded": n}  transcript files read / skipped
  calls                  LLM calls, each entry counted once
  calls_by_agent         {agentId: n}
  calls_by_provider      {provider: n}
  calls_by_model         {model: n}
  calls_by_provider_model {provider: {model: n}}
  calls_by_day           {"YYYY-MM-DD": n}   UTC day of message.timestamp (prompt errors: data.timestamp)
  tokens                 {"input", "output", "cache_read", "cache_write", "total"}  sums of usage
                         input/output/cacheRead/cacheWrite/totalTokens over counted calls
  cost_logged_usd        sum of usage.cost.total over counted calls where it is > 0 (math.fsum)
  cost_logged_by_day_usd {"YYYY-MM-DD": usd}
  calls_with_logged_cost number of counted calls with usage.cost.total > 0
  error_calls            stopReason "error" or "aborted", plus prompt errors
  prompt_errors          custom entries with customType "openclaw:prompt-error"
  synthetic_rows         assistant rows excluded as synthetic (counted once per file line)
  negative_latency_calls counted calls whose entry timestamp precedes message.timestamp
  duplicate_entries      lines skipped because their key was already counted
  malformed_lines        lines that are not JSON, excluding a torn last line (no trailing newline)
  torn_lines             last lines without a newline that are not complete JSON

Rules:
  * Every copy is read (each call still counts once, by the dedupe key below):
    agents/*/sessions/ and agents/*/sessions/session-sqlite-import-archive/ entries whose name
    ends ".jsonl" (including "-topic-" names, compaction successors "<ts>_<uuid>.jsonl" and
    checkpoint copies "*.checkpoint.<uuid>.jsonl") or contains ".jsonl.reset." / ".jsonl.deleted."
    (a name ending ".zst" is zstd-decoded with the `zstandard` package first); skipped:
    "*.trajectory.jsonl", "*.trajectory-path.json", "sessions.json", anything containing ".bak",
    ".lock" files. Then each agents/*/agent/openclaw-agent.sqlite (Python's sqlite3, read-only):
    every transcript_events row is one line (ordered by session_id, seq), and every
    session_transcript_archives blob (decoded when its encoding is "zstd") is one more file.
  * An LLM call is a line with type "message" and message.role "assistant", except synthetic
    rows: provider in {openclaw, clawdbot, moltbot} with model in {delivery-mirror,
    gateway-injected}, or stopReason "injected"; plus every "custom" line with customType
    "openclaw:prompt-error" (provider/model from data, no tokens).
  * Dedupe key: (agentId, entry id, message.timestamp) - for prompt errors (agentId, id, data.timestamp).
    The same entry copied into a compaction successor or archive is counted once.
  * A UTF-8 byte order mark at the start of a file is skipped; a file with CR-only line ends is
    split on CR.
  * A line that does not decode (bad UTF-8 or bad JSON) is malformed; a torn last line (the file
    does not end with a newline) is counted in torn_lines, not malformed_lines. Blank lines are ignored.
"""
import json
import math
import os
import sys
from datetime import datetime, timezone

SYN_PROVIDERS = {"openclaw", "clawdbot", "moltbot"}
SYN_MODELS = {"delivery-mirror", "gateway-injected"}


def included(name):
    if name == "sessions.json" or ".bak" in name or name.endswith(".lock"):
        return False
    if name.endswith(".trajectory.jsonl") or name.endswith(".trajectory-path.json"):
        return False
    if name.endswith(".zst"):
        name = name[:-4]
        return ".jsonl.reset." in name or ".jsonl.deleted." in name or name.endswith(".jsonl")
    return name.endswith(".jsonl") or ".jsonl.reset." in name or ".jsonl.deleted." in name


def unzstd(data):
    import zstandard  # pinned in Tests/tools/pyenv.sh
    return zstandard.ZstdDecompressor().decompressobj().decompress(data)


def store_copies(path):
    """Yields (lines, torn) per session of a store: live events, then each archived transcript."""
    import sqlite3
    con = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    sessions = {}
    for session, body in con.execute("SELECT session_id, event_json FROM transcript_events ORDER BY session_id, seq"):
        raw = body if isinstance(body, bytes) else str(body).encode("utf-8")
        if raw[:4] == b"\x28\xb5\x2f\xfd":
            raw = unzstd(raw)
        sessions.setdefault(session, []).append(raw)
    for session in sorted(sessions):
        yield sessions[session], None
    has = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'session_transcript_archives'").fetchone()[0]
    if has:
        for encoding, blob in con.execute("SELECT encoding, archive_blob FROM session_transcript_archives ORDER BY created_at"):
            data = unzstd(blob) if encoding == "zstd" else bytes(blob)
            pieces = data.split(b"\n")
            yield pieces[:-1], (pieces[-1] if pieces[-1] != b"" else None)
    con.close()


def utc_day(ms):
    return datetime.fromtimestamp(ms / 1000.0, tz=timezone.utc).strftime("%Y-%m-%d")


def parse_iso_ms(text):
    try:
        return int(datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp() * 1000 + 0.5)
    except (ValueError, AttributeError, TypeError):
        return None


def num(value):
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else 0


def main(argv):
    if len(argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    root = argv[1]
    if not os.path.isdir(os.path.join(root, "agents")) and os.path.isdir(os.path.join(root, "openclaw", "agents")):
        root = os.path.join(root, "openclaw")
    agents_dir = os.path.join(root, "agents")
    out = {
        "files": {"included": 0, "excluded": 0}, "calls": 0, "calls_by_agent": {}, "calls_by_provider": {},
        "calls_by_model": {}, "calls_by_provider_model": {}, "calls_by_day": {},
        "tokens": {"input": 0, "output": 0, "cache_read": 0, "cache_write": 0, "total": 0},
        "calls_with_logged_cost": 0, "error_calls": 0, "prompt_errors": 0, "synthetic_rows": 0,
        "negative_latency_calls": 0, "duplicate_entries": 0, "malformed_lines": 0, "torn_lines": 0,
    }
    costs, costs_by_day = [], {}
    seen = set()

    def bump(table, key, n=1):
        table[key] = table.get(key, 0) + n

    def copies(agent):
        """(lines, torn) of every copy of the agent's transcripts."""
        sessions = os.path.join(agents_dir, agent, "sessions")
        for folder in [sessions, os.path.join(sessions, "session-sqlite-import-archive")]:
            if not os.path.isdir(folder):
                continue
            for name in sorted(os.listdir(folder)):
                path = os.path.join(folder, name)
                if not os.path.isfile(path):
                    continue
                if not included(name):
                    out["files"]["excluded"] += 1
                    continue
                out["files"]["included"] += 1
                with open(path, "rb") as handle:
                    data = handle.read()
                if name.endswith(".zst"):
                    data = unzstd(data)
                if data.startswith(b"\xef\xbb\xbf"):
                    data = data[3:]  # a UTF-8 byte order mark is not part of the first line
                if b"\n" not in data and b"\r" in data:
                    data = data.replace(b"\r", b"\n")  # CR-only line ends (old Mac style) are line ends
                pieces = data.split(b"\n")
                yield pieces[:-1], (pieces[-1] if pieces[-1] != b"" else None)
        store = os.path.join(agents_dir, agent, "agent", "openclaw-agent.sqlite")
        if os.path.isfile(store):
            yield from store_copies(store)

    for agent in sorted(os.listdir(agents_dir)) if os.path.isdir(agents_dir) else []:
        for lines, torn in copies(agent):
            if torn is not None:
                try:
                    obj = json.loads(torn.decode("utf-8"))
                    lines.append(torn)  # complete JSON, just no newline: an ordinary line
                except ValueError:
                    out["torn_lines"] += 1
            for raw in lines:
                if raw.strip() == b"":
                    continue
                try:
                    obj = json.loads(raw.decode("utf-8"))
                except ValueError:
                    out["malformed_lines"] += 1
                    continue
                if not isinstance(obj, dict):
                    continue
                kind = obj.get("type")
                if kind == "message":
                    msg = obj.get("message")
                    if not isinstance(msg, dict) or msg.get("role") != "assistant":
                        continue
                    provider, model = msg.get("provider"), msg.get("model")
                    if (provider in SYN_PROVIDERS and model in SYN_MODELS) or msg.get("stopReason") == "injected":
                        out["synthetic_rows"] += 1
                        continue
                    start = msg.get("timestamp")
                    key = (agent, obj.get("id"), start)
                    if key in seen:
                        out["duplicate_entries"] += 1
                        continue
                    seen.add(key)
                    usage = msg.get("usage") if isinstance(msg.get("usage"), dict) else {}
                    cost = usage.get("cost") if isinstance(usage.get("cost"), dict) else {}
                    total = num(cost.get("total"))
                    day = utc_day(start) if isinstance(start, (int, float)) else "unknown"
                    out["tokens"]["input"] += num(usage.get("input"))
                    out["tokens"]["output"] += num(usage.get("output"))
                    out["tokens"]["cache_read"] += num(usage.get("cacheRead"))
                    out["tokens"]["cache_write"] += num(usage.get("cacheWrite"))
                    out["tokens"]["total"] += num(usage.get("totalTokens"))
                    if total > 0:
                        costs.append(total)
                        costs_by_day.setdefault(day, []).append(total)
                        out["calls_with_logged_cost"] += 1
                    if msg.get("stopReason") in ("error", "aborted"):
                        out["error_calls"] += 1
                    end = parse_iso_ms(obj.get("timestamp"))
                    if end is not None and isinstance(start, (int, float)) and end < start:
                        out["negative_latency_calls"] += 1
                elif kind == "custom" and obj.get("customType") == "openclaw:prompt-error":
                    d = obj.get("data") if isinstance(obj.get("data"), dict) else {}
                    provider, model, start = d.get("provider"), d.get("model"), d.get("timestamp")
                    key = (agent, obj.get("id"), start)
                    if key in seen:
                        out["duplicate_entries"] += 1
                        continue
                    seen.add(key)
                    day = utc_day(start) if isinstance(start, (int, float)) else "unknown"
                    out["prompt_errors"] += 1
                    out["error_calls"] += 1
                else:
                    continue
                out["calls"] += 1
                bump(out["calls_by_agent"], agent)
                bump(out["calls_by_provider"], str(provider))
                bump(out["calls_by_model"], str(model))
                bump(out["calls_by_provider_model"].setdefault(str(provider), {}), str(model))
                bump(out["calls_by_day"], day)
    out["cost_logged_usd"] = math.fsum(costs)
    out["cost_logged_by_day_usd"] = {day: math.fsum(values) for day, values in costs_by_day.items()}
    json.dump(out, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
