"""JupyterHub for a class: each student logs in and gets a JupyterLab of their own, which opens
on their own copies of the course's notebooks (README, "JupyterHub for a class").

Set up once on a Linux machine, as root (the folders are examples):

    git clone <the course's repository> /srv/course
    python3 -m venv /srv/course-env
    /srv/course-env/bin/pip install "/srv/course[lab]" jupyterhub
    npm install -g configurable-http-proxy  # JupyterHub's proxy (Node.js)
    groupadd course                         # each student: adduser NAME; usermod -aG course NAME
    /srv/course-env/bin/jupyterhub -f /srv/course/deploy/jupyterhub/jupyterhub_config.py

Students log in with their accounts on the machine (members of the group ``course``). Each
server runs as its student, in the student's home; it first brings ``~/my-notebooks`` up to
date with /srv/course/notebooks (start-course-server), so a ``git pull`` in /srv/course
reaches every student at their next server start without touching their edits.
tests/deploy/test_jupyterhub.py runs this file end to end on 127.0.0.1, with a test login and
JupyterHub's SimpleLocalProcessSpawner standing in for the accounts.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
COURSE = HERE.parents[1]  # the checkout this file belongs to
c = get_config()  # noqa: F821 (defined by JupyterHub when it reads this file)

# Loopback until HTTPS is set up: for a class, put a TLS reverse proxy in front, or set
# c.JupyterHub.ssl_cert / ssl_key and bind_url = "https://:443".
c.JupyterHub.bind_url = "http://127.0.0.1:8000"

# Who may log in: system accounts (PAM, JupyterHub's default) in the group "course".
c.LocalAuthenticator.allowed_groups = {"course"}
# c.Authenticator.admin_users = {"instructor"}

# Every server: sync the student's copies, then JupyterLab, opening notebook 00 of the copies.
c.Spawner.cmd = [str(HERE / "start-course-server")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab/tree/my-notebooks/00_orientation.ipynb"
c.Spawner.environment = {
    "COURSE_NOTEBOOKS": str(COURSE / "notebooks"),
    "COURSE_PYTHON": sys.executable,  # the environment the course is installed in
    # Students share the machine's cores: one BLAS thread per kernel keeps the recurrent nets'
    # small matrix products from waiting for threads another student holds (README, Performance).
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}
