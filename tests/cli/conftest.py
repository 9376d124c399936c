import pytest
from support.cli_run import cli_runner


@pytest.fixture
def cli(databases, tmp_path, capsys):
    """The command line on a fresh database (``init`` done); ``cli.path`` is its file. The file
    is a copy of the migrated template, so ``init`` here finds it ready (the real first ``init``
    of a new file is run by test_code_commands, test_backups and test_export_cli)."""
    run = cli_runner(databases.copy_to(tmp_path / "cli.sqlite"), capsys)
    assert run("init")[0] == 0
    return run
