"""Locust user for ``directory_load.py``: a family browsing the public directory of services.

Reads the vocabulary the benchmark wrote (path in SOZIALPLANUNG_BENCH_VOCABULARY): service ids
for detail pages, words of the generated names and descriptions, life-situation codes and
municipality keys. Each request type is reported under its own name.

The pause between two clicks is 0.5–2 s: the target speaks of 50 concurrent *clients*, people
who read a page before the next click, not of a denial-of-service test. 50 such users offer
roughly 30–40 requests per second.
"""

import json
import os
import random
from functools import cache

from locust import HttpUser, between, task

RADII = ["5", "10", "20", "50"]


@cache
def vocabulary() -> dict:
    with open(os.environ["SOZIALPLANUNG_BENCH_VOCABULARY"], encoding="utf-8") as file:
        return json.load(file)


def pick(kind: str) -> str:
    return random.choice(vocabulary()[kind])


class Family(HttpUser):
    wait_time = between(0.5, 2)

    @task(1)
    def landing(self):
        self.client.get("/angebote/", name="Suche ohne Filter")

    @task(3)
    def text(self):
        word = pick("words")
        self.client.get("/angebote/", params={"q": word}, name="Suche Text")

    @task(2)
    def life_situation(self):
        params = {"lebenslage": pick("codes")}
        if random.random() < 0.5:
            params["q"] = pick("words")
        self.client.get("/angebote/", params=params, name="Suche Lebenslage")

    @task(2)
    def near(self):
        params = {"ort": pick("places"), "umkreis": random.choice(RADII)}
        self.client.get("/angebote/", params=params, name="Suche Ort+Umkreis")

    @task(1)
    def second_page(self):
        params = {"lebenslage": pick("codes"), "seite": "2"}
        self.client.get("/angebote/", params=params, name="Suche Seite 2")

    @task(4)
    def detail(self):
        self.client.get(f"/angebote/{pick('ids')}/", name="Detailseite")


if __name__ == "__main__":  # make bench runs every script here; this one is locust's, not its own
    print("Wird von benchmarks/directory_load.py an locust übergeben, nicht allein ausgeführt.")
