"""Print the current six-digit code for a TOTP secret (base32), as an
authenticator app would show it: for trying the demo's admin and auditor
accounts without a phone.

    totp.py SECRET
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..",
                                "tests", "api"))
from hedui_api import totp  # noqa: E402

if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    print(totp(sys.argv[1]))
