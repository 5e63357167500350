"""Locust users for bench/loadtest.py: staff of four roles reading the pages their work takes
them to, each signed in through a session loadtest.py created (second factor verified).

Not meant to be run alone: loadtest.py writes the plan (sessions, pages and their weights, the
rate) to a JSON file and names it in HESTIA_LOAD_PLAN. Each user sends at most `rate_per_user`
requests a second (constant_throughput), so users x rate bounds the load. Redirects are not
followed: a page that answers anything but 200 (a login redirect, an error) counts as a failure.
"""

import json
import os
import random
from pathlib import Path

from locust import FastHttpUser, constant_throughput, task

PLAN = json.loads(Path(os.environ["HESTIA_LOAD_PLAN"]).read_text())


class Staff(FastHttpUser):
    abstract = True
    role = ""
    wait_time = constant_throughput(float(PLAN["rate_per_user"]))

    def on_start(self) -> None:
        plan = PLAN["roles"][self.role]
        self.pages = plan["pages"]
        self.weights = [page["weight"] for page in self.pages]
        session = random.choice(plan["sessions"])
        self.me = str(session["user"])
        self.headers = {
            "Cookie": f"{PLAN['session_cookie']}={session['key']}",
            # Behind the TLS-terminating proxy, as in production (HESTIA_BEHIND_PROXY).
            "X-Forwarded-Proto": "https",
        }

    @task
    def page(self) -> None:
        page = random.choices(self.pages, weights=self.weights)[0]
        path = random.choice(page["paths"]).replace("{me}", self.me)
        with self.client.get(
            path,
            name=page["name"],
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")


class Officer(Staff):
    role = "officer"
    weight = PLAN["roles"]["officer"]["users_weight"]


class Interviewer(Staff):
    role = "interviewer"
    weight = PLAN["roles"]["interviewer"]["users_weight"]


class Supervisor(Staff):
    role = "supervisor"
    weight = PLAN["roles"]["supervisor"]["users_weight"]


class Auditor(Staff):
    role = "auditor"
    weight = PLAN["roles"]["auditor"]["users_weight"]
