"""python -m evalgen --seed S --sites N --out DIR (run from bench/) writes one generated province."""
import argparse
from pathlib import Path

from . import generate


def main() -> None:
    parser = argparse.ArgumentParser(prog="evalgen", description=__doc__)
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--sites", type=int, default=32)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    truth = generate(args.seed, args.sites, args.out)
    print(f"{args.out}: {len(truth['sites'])} sites, as_of {truth['as_of']}")


if __name__ == "__main__":
    main()
