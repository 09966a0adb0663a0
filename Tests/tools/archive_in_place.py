#!/usr/bin/env python3
"""Archives an OpenClaw 2026.8+ state in place, as OpenClaw does when sessions are deleted or reset.

Usage:  archive_in_place.py LIVE_STATE AGED_STATE

LIVE_STATE is `homebase generate --store current-live`, AGED_STATE the same seed with
`--store current`. Every archive row of AGED_STATE's stores is applied to LIVE_STATE's store of
the same agent, in place (the same database file, as OpenClaw's gateway would): the session's
rows leave transcript_events and the archive row is inserted. Then LIVE_STATE's sessions/
folders are made to match AGED_STATE's: archive files published, live files renamed to their
archive names (removed), import-archive copies kept. Written with Python's sqlite3 only, not
from Home Base's code, so the history it makes is independent of the reader under test.
"""
import os
import shutil
import sqlite3
import sys


def main(live, aged):
    if not os.path.isdir(os.path.join(live, "agents")):
        live, aged = os.path.join(live, "openclaw"), os.path.join(aged, "openclaw")
    moved = 0
    for agent in sorted(os.listdir(os.path.join(aged, "agents"))):
        aged_db = os.path.join(aged, "agents", agent, "agent", "openclaw-agent.sqlite")
        live_db = os.path.join(live, "agents", agent, "agent", "openclaw-agent.sqlite")
        if os.path.exists(aged_db):
            src = sqlite3.connect(aged_db)
            rows = src.execute("SELECT * FROM session_transcript_archives ORDER BY created_at").fetchall()
            cols = [d[0] for d in src.execute("SELECT * FROM session_transcript_archives LIMIT 0").description]
            src.close()
            dst = sqlite3.connect(live_db)
            with dst:
                for row in rows:
                    session = row[cols.index("session_id")]
                    dst.execute("DELETE FROM transcript_events WHERE session_id = ?", (session,))
                    dst.execute("INSERT INTO session_transcript_archives(%s) VALUES(%s)" % (",".join(cols), ",".join("?" * len(cols))), row)
                    moved += 1
            dst.close()
        for sub in ["sessions", os.path.join("sessions", "session-sqlite-import-archive")]:
            a, l = os.path.join(aged, "agents", agent, sub), os.path.join(live, "agents", agent, sub)
            if not os.path.isdir(a):
                continue
            os.makedirs(l, exist_ok=True)
            want = {n for n in os.listdir(a) if os.path.isfile(os.path.join(a, n))}
            have = {n for n in os.listdir(l) if os.path.isfile(os.path.join(l, n))}
            for name in sorted(have - want):
                os.remove(os.path.join(l, name))
            for name in sorted(want - have):
                shutil.copy2(os.path.join(a, name), os.path.join(l, name))
    print("archived %d sessions in place" % moved)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.stderr.write(__doc__)
        sys.exit(2)
    main(sys.argv[1], sys.argv[2])
