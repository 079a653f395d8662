"""The pytest11 plugin every install registers must not cost a host project anything."""

import subprocess
import sys
import textwrap


def test_the_plugin_imports_without_hypothesis():
    """A host project without the dev extra still starts pytest: the plugin needs no hypothesis."""
    code = textwrap.dedent("""
        import sys
        sys.modules["hypothesis"] = None  # what an install without the dev extra looks like
        import govmedia_rules.testing.pytest_plugin
        assert "govmedia_rules.testing.strategies" not in sys.modules
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
