"""Letters benchmark: `python -m bench.letters [--letters N] [--write]` (run by `make bench`).

Renders N approved letters of the demo commune (default 1,000, cycling through the demo's
letters) to ONE Word file with `thanthien.letters.documents.letters_docx`, the batch an
official prints after approving. Baseline, in the same run: python-docx writing the same
letters' plain text (one paragraph per line, a page break between letters) with no ND 30
layout at all — the cost of Word files as such. Results go to docs/PERFORMANCE.md between
their own markers with --write.
"""

import argparse
import io
import sys
import time
from datetime import UTC, datetime

from bench.__main__ import ROOT, peak_kib, setup_django

RESULTS_START = "<!-- bench-letters:start -->"
RESULTS_END = "<!-- bench-letters:end -->"


def plain_docx(letters) -> bytes:
    from docx import Document
    from docx.enum.text import WD_BREAK

    document = Document()
    for index, letter in enumerate(letters):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        document.add_paragraph(f"{letter.salutation}: {letter.recipient_name}")
        for line in letter.body.splitlines():
            document.add_paragraph(line)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=1000)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    vendor = setup_django()

    from thanthien.letters.documents import letter_document, letters_docx
    from thanthien.letters.models import Letter

    demo = list(
        Letter.objects.filter(number__isnull=False)
        .select_related("commune", "signer")
        .order_by("pk")
    )
    if not demo:
        print("the demo has no approved letters", file=sys.stderr)
        return 1
    letters = [demo[i % len(demo)] for i in range(args.letters)]

    start = time.perf_counter()
    ours = letters_docx([letter_document(letter) for letter in letters])
    ours_s = time.perf_counter() - start
    start = time.perf_counter()
    plain = plain_docx(letters)
    plain_s = time.perf_counter() - start
    memory = peak_kib(lambda: letters_docx([letter_document(letter) for letter in letters[:100]]))

    rate, plain_rate = args.letters / ours_s, args.letters / plain_s
    rows = [
        (
            f"{args.letters:,} letters to one DOCX (ND 30 layout)",
            f"{rate:,.0f} letters/s ({ours_s:.1f} s, {len(ours) / 1024:,.0f} KiB)",
            f"{plain_rate / rate:.1f}× slower",
            f"python-docx, same text, no layout: {plain_rate:,.0f} letters/s "
            f"({len(plain) / 1024:,.0f} KiB)",
        ),
        ("peak memory, 100 letters", f"{memory:,.0f} KiB", "", ""),
    ]
    table = [
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {vendor}, demo letters cycled.",
        "",
        "| what | result | ratio | baseline |",
        "|---|---:|---:|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
    ]
    print("\n".join(table))
    if args.write:
        path = ROOT / "docs" / "PERFORMANCE.md"
        text = path.read_text()
        block = "\n".join([RESULTS_START, *table, RESULTS_END])
        if RESULTS_START in text:
            head, rest = text.split(RESULTS_START, 1)
            text = head + block + rest.split(RESULTS_END, 1)[1]
        else:
            text = text.rstrip("\n") + "\n\n## Letters (issue 6)\n" + block + "\n"
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
