from patternbook.cli import run

run()
