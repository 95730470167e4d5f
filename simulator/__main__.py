"""``python -m simulator`` runs the command-line interface."""

from simulator.cli import main

if __name__ == "__main__":
    main()
