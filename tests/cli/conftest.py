import pytest
from support.cli_run import cli_runner


@pytest.fixture
def cli(tmp_path, capsys):
    """The command line on a fresh database (``init`` done); ``cli.path`` is its file."""
    run = cli_runner(tmp_path / "cli.sqlite", capsys)
    assert run("init")[0] == 0
    return run
