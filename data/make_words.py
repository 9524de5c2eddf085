"""Regenerate course_lib/data/words.txt, the autocompletion task's word list (not run by it).

Source: Debian's ``wamerican`` package (SCOWL size-50 American English word list by Kevin
Atkinson; licence in course_lib/data/words-COPYRIGHT.txt). On Debian/Ubuntu::

    apt-get install wamerican
    python data/make_words.py            # reads /usr/share/dict/american-english

Keeps the words made only of the letters a-z (no capitals, so no proper nouns, and no
apostrophes) with 3 to 8 letters, and draws a seeded sample of 3,000 of them, written one a
line in alphabetical order. Same source file and seed, same output.
"""

from __future__ import annotations

import argparse
import hashlib
import re
from pathlib import Path

import numpy as np

SOURCE = Path("/usr/share/dict/american-english")
OUT = Path(__file__).resolve().parents[1] / "course_lib" / "data" / "words.txt"
PATTERN = re.compile(r"^[a-z]{3,8}$")


def select(words: list[str], n: int, seed: int) -> list[str]:
    """The sorted, seeded sample of ``n`` words matching PATTERN (all of them if fewer)."""
    kept = sorted({w for w in words if PATTERN.match(w)})
    rng = np.random.default_rng(seed)
    take = rng.choice(len(kept), size=min(n, len(kept)), replace=False)
    return sorted(kept[i] for i in take)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("-n", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    raw = args.source.read_bytes()
    words = select(raw.decode("utf-8").split(), args.n, args.seed)
    args.out.write_text("\n".join(words) + "\n", encoding="ascii")
    print(f"source {args.source} sha256 {hashlib.sha256(raw).hexdigest()}")
    print(f"wrote {len(words)} words to {args.out}")


if __name__ == "__main__":
    main()
