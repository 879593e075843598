"""pacdistill demo trains and distils on one BLAS thread (its docstring says so)."""

import ast
import subprocess
import sys


def test_demo_limits_every_blas_it_uses():
    """threadpoolctl limits only the libraries already loaded, and `pacdistill demo`
    enters its limit before anything imported numpy or scipy (lazy imports): the
    limit must load them first. Run in a fresh interpreter, where nothing is loaded."""
    code = (
        "import argparse\n"
        "import pacdistill._cli.demo as demo\n"
        "from threadpoolctl import threadpool_info\n"
        "seen = []\n"
        "def spy(args, *started):\n"
        "    seen.extend(i['num_threads'] for i in threadpool_info() if i['user_api'] == 'blas')\n"
        "    return 0\n"
        "demo._run = spy\n"
        "demo.run(argparse.Namespace(seed=0, plot=None))\n"
        "print(seen)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    threads = ast.literal_eval(out.strip())
    assert threads and set(threads) == {1}, threads
