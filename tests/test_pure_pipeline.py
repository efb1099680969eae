import subprocess
import sys


def test_the_pipeline_packages_do_not_import_django():
    code = (
        "import sys, importlib, pkgutil, tracker.ingest, tracker.tagging\n"
        "for pkg in (tracker.ingest, tracker.tagging):\n"
        "    for m in pkgutil.iter_modules(pkg.__path__):\n"
        "        importlib.import_module(pkg.__name__ + '.' + m.name)\n"
        "print('django' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
