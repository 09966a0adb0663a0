#!/usr/bin/env python3
"""`make docs-check`: keeps README.md short and every documentation link working.

Fails (exit 1, one line per problem naming the file and the link) when
  - README.md is larger than 12,288 bytes;
  - a relative Markdown link in README.md or docs/*.md points to a missing file, or to a heading
    anchor the target page does not have (GitHub's rules: lowercase, spaces to '-', punctuation
    other than '-' and '_' dropped, '-1', '-2', ... appended to repeated headings);
  - a table is split by a blank line (GitHub renders the rows after it as text);
  - a page in docs/ is not linked from README.md.
Stdlib only.  Usage: python3 Tests/tools/check_docs.py [--root DIR] | --self-test
"""
import os
import re
import sys
import unicodedata

README_LIMIT = 12_288

FENCE = re.compile(r'^ {0,3}(`{3,}|~{3,})')
HEADING = re.compile(r'^ {0,3}(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$')
INLINE_LINK = re.compile(r'!?\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(\s*<?([^)\s>]*)>?(?:\s+"[^"]*")?\s*\)')
REFERENCE_DEF = re.compile(r'^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$')
CODE_SPAN = re.compile(r'(`+)(.+?)\1')
HTML_ANCHOR = re.compile(r'<a\s+(?:name|id)="([^"]+)"', re.IGNORECASE)
EXTERNAL = re.compile(r'^[a-zA-Z][a-zA-Z0-9+.-]*:')  # http:, https:, mailto:, ...


def prose_lines(text):
    """Yields (line number, line) outside fenced code blocks."""
    fence = None
    for number, line in enumerate(text.split('\n'), 1):
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(1)
            continue
        if fence is not None:
            if match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
                fence = None
            continue
        yield number, line


def heading_text(raw):
    """The text GitHub renders for a heading: links reduced to their text, markup removed."""
    text = INLINE_LINK.sub(lambda m: m.group(1), raw)
    text = CODE_SPAN.sub(lambda m: m.group(2), text)
    text = re.sub(r'<[^>]+>', '', text)
    return text


def slug(raw):
    """GitHub's anchor for a heading (before de-duplication)."""
    text = heading_text(raw).strip().lower()
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char in '-_' or char == ' ' or category[0] in 'LN' or category == 'Mn':
            kept.append(char)
    return ''.join(kept).replace(' ', '-')


def anchors(text):
    """Every anchor a page offers: its headings (de-duplicated as GitHub does) and HTML anchors."""
    seen = {}
    result = set()
    for _, line in prose_lines(text):
        match = HEADING.match(line)
        if match:
            base = slug(match.group(2))
            count = seen.get(base, 0)
            seen[base] = count + 1
            result.add(base if count == 0 else f'{base}-{count}')
        result.update(HTML_ANCHOR.findall(line))
    return result


def links(text):
    """(line number, target) of every link outside code blocks and code spans."""
    for number, line in prose_lines(text):
        bare = CODE_SPAN.sub(lambda m: ' ' * len(m.group(0)), line)
        for match in INLINE_LINK.finditer(bare):
            yield number, match.group(2)
        match = REFERENCE_DEF.match(bare)
        if match:
            yield number, match.group(1)


DELIMITER_ROW = re.compile(r'^\s*\|?[\s|:-]*-[\s|:-]*$')


def split_tables(text):
    """Line numbers of table rows cut off from their table by a blank line."""
    lines = text.split('\n')
    prose = {number for number, _ in prose_lines(text)}
    for i in range(2, len(lines)):
        if not {i - 1, i, i + 1} <= prose:
            continue
        row_before, blank, row = lines[i - 2], lines[i - 1], lines[i]
        starts_new_table = i + 1 < len(lines) and DELIMITER_ROW.match(lines[i + 1])
        if row_before.lstrip().startswith('|') and not blank.strip() and row.lstrip().startswith('|') \
                and not starts_new_table:
            yield i + 1


def check(root):
    problems = []
    readme = os.path.join(root, 'README.md')
    docs_dir = os.path.join(root, 'docs')
    if not os.path.isfile(readme):
        return [f'README.md: missing in {root}']
    size = os.path.getsize(readme)
    if size > README_LIMIT:
        problems.append(f'README.md: {size} bytes, over the limit of {README_LIMIT}; move a section to docs/')
    pages = sorted(os.path.join(docs_dir, name) for name in os.listdir(docs_dir)
                   if name.endswith('.md')) if os.path.isdir(docs_dir) else []
    anchor_cache = {}

    def anchors_of(path):
        if path not in anchor_cache:
            with open(path, encoding='utf-8') as handle:
                anchor_cache[path] = anchors(handle.read())
        return anchor_cache[path]

    linked_from_readme = set()
    for path in [readme] + pages:
        name = os.path.relpath(path, root)
        with open(path, encoding='utf-8') as handle:
            text = handle.read()
        for number in split_tables(text):
            problems.append(f'{name}:{number}: table split by a blank line (the rows below it render as text)')
        for number, target in links(text):
            if not target or EXTERNAL.match(target):
                continue
            file_part, _, anchor = target.partition('#')
            resolved = os.path.normpath(os.path.join(os.path.dirname(path), file_part)) if file_part else path
            if not os.path.exists(resolved):
                problems.append(f"{name}:{number}: link '{target}': no file {os.path.relpath(resolved, root)}")
                continue
            if path == readme:
                linked_from_readme.add(resolved)
            if anchor and resolved.endswith('.md') and os.path.isfile(resolved):
                if anchor not in anchors_of(resolved):
                    problems.append(f"{name}:{number}: link '{target}': no heading with anchor '#{anchor}' "
                                    f"in {os.path.relpath(resolved, root)}")
    for page in pages:
        if page not in linked_from_readme:
            problems.append(f'README.md: does not link {os.path.relpath(page, root)}')
    return problems


def self_test():
    """Anchors worked out by hand from GitHub's rules, and one link of each kind."""
    cases = {
        '`homebase nightly`, the config file, alerts and `homebase doctor`':
            'homebase-nightly-the-config-file-alerts-and-homebase-doctor',
        "OpenClaw's SQLite session store": 'openclaws-sqlite-session-store',
        'What `--invoices DIR` reads': 'what---invoices-dir-reads',
        'The `invoice_lines` table': 'the-invoice_lines-table',
        'Tests/tools': 'teststools',
        'Incremental, idempotent, crash-safe': 'incremental-idempotent-crash-safe',
        '[Link](x.md) text': 'link-text',
        'Größe & Zeit': 'größe--zeit',
    }
    failures = [f'slug({raw!r}) = {slug(raw)!r}, expected {want!r}' for raw, want in cases.items() if slug(raw) != want]
    page = '# A\n## B\n## B\n```\n# not a heading\n```\n'
    if anchors(page) != {'a', 'b', 'b-1'}:
        failures.append(f'anchors: {sorted(anchors(page))}')
    text = 'see [x](a.md#b) and `[y](not-a-link.md)`\n```\n[z](code.md)\n```\n[r]: ref.md\n'
    if [target for _, target in links(text)] != ['a.md#b', 'ref.md']:
        failures.append(f'links: {list(links(text))}')
    if list(split_tables('| a |\n|---|\n| 1 |\n\n| 2 |\n')) != [5]:
        failures.append('split table not found')
    if list(split_tables('| a |\n|---|\n| 1 |\n\n| b |\n|---|\n')) != []:
        failures.append('two tables taken for one split table')
    for failure in failures:
        print('check_docs self-test:', failure, file=sys.stderr)
    return 1 if failures else 0


def main(argv):
    if argv[1:] == ['--self-test']:
        return self_test()
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    if len(argv) == 3 and argv[1] == '--root':
        root = argv[2]
    elif len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    problems = check(root)
    for problem in problems:
        print('docs-check:', problem, file=sys.stderr)
    if problems:
        return 1
    print(f'docs-check: README.md {os.path.getsize(os.path.join(root, "README.md"))} bytes, links ok')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
