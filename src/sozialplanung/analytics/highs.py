"""Silent HiGHS instances for the models of this package (disclosure audit, exact regions).

HiGHS prints a copyright banner when the first instance of a process is made, before any option
can switch output off (ERGO-Code/HiGHS issues 1702 and 1932), and it writes from C++ straight
to file descriptor 1. That first instance is therefore made with descriptor 1 pointed at
/dev/null, once; every later instance starts silent.
"""

import os
import sys
from functools import cache

import highspy


@cache
def _banner_shown() -> bool:
    sys.stdout.flush()
    saved = os.dup(1)
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(sink, 1)
        highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(sink)
    return True


def new_highs() -> highspy.Highs:
    """A HiGHS instance with logging off."""
    _banner_shown()
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    return h
