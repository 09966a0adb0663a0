"""What the local test servers share: they live exactly as long as the test that started them."""
import os
import signal
import sys
import threading


def exit_when_stdin_closes():
    """Exits the process when the parent closes our stdin (the test ended, or died); a test
    runner's kill still works even if the parent had blocked SIGTERM/SIGINT."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM, signal.SIGINT])

    def wait():
        sys.stdin.buffer.read()
        os._exit(0)

    threading.Thread(target=wait, daemon=True).start()
