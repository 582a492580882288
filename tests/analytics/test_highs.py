"""HiGHS stays silent: no banner in the output of commands that solve models."""

import subprocess
import sys


def test_the_first_instance_of_a_process_prints_no_banner():
    code = "from sozialplanung.analytics.highs import new_highs; new_highs(); print('fertig')"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout == "fertig\n"
    assert "HiGHS" not in result.stderr
