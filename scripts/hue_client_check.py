"""A real, unmodified Hue client library (phue, from PyPI) against Bulbwatch's
Hue-compatible API: it cannot pair before the link button is pressed, pairs once the
facilitator presses it, lists the lights, sets a colour, and reads it back once the
bulb's queue has applied it; a second client reconnects with the saved username.

    python hue_client_check.py --bridge 127.0.0.1:8081 --console http://127.0.0.1:8080 \
        --facilitator-token TOKEN --config /tmp/phue.json

Prints what it saw as one JSON line; exits 1 with the reason when a step fails.
scripts/setup.sh (ensure_hue_client) installs phue into a venv under the target folder.
"""

import argparse
import json
import sys
import time
import urllib.request

import phue


def fail(message):
    print(f"hue client check failed: {message}", file=sys.stderr)
    sys.exit(1)


def press_link_button(console, token):
    """The facilitator's console button: POST /api/room/hue/link-button."""
    request = urllib.request.Request(
        f"{console}/api/room/hue/link-button",
        method="POST",
        headers={"Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def wait_for(what, read, done, within_s=15.0):
    """Polls read() until done(value); the queue applies changes after its delay."""
    deadline = time.monotonic() + within_s
    while True:
        value = read()
        if done(value):
            return value
        if time.monotonic() > deadline:
            fail(f"{what}: still {value!r} after {within_s} s")
        time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--bridge", required=True, help="host:port of the Hue API")
    parser.add_argument("--console", required=True, help="Bulbwatch's own base URL")
    parser.add_argument("--facilitator-token", required=True)
    parser.add_argument("--config", required=True, help="where phue saves its username")
    args = parser.parse_args()
    seen = {"phue": getattr(phue, "__version__", "1.1")}

    # Before the link button is pressed, pairing is refused (Hue's error 101).
    try:
        phue.Bridge(args.bridge, config_file_path=args.config)
        fail("paired although the link button was not pressed")
    except phue.PhueRegistrationException as refused:
        seen["refused_before_button"] = refused.id

    window = press_link_button(args.console, args.facilitator_token)
    if not window.get("link_button_open_until_ms"):
        fail(f"the link button did not open a window: {window}")

    bridge = phue.Bridge(args.bridge, config_file_path=args.config)
    with open(args.config) as saved:
        username = json.load(saved)[args.bridge]["username"]
    seen["username_length"] = len(username)

    lights = bridge.get_light_objects("id")
    if not lights:
        fail("no lights")
    seen["lights"] = {str(i): light.name for i, light in sorted(lights.items())}
    api = bridge.get_api()
    seen["bridge_name"] = api["config"]["name"]

    # An amber (inside gamut C, so shown as asked), set the way phue's users do:
    # answered at once, shown after the queue's delay.
    result = bridge.set_light(1, {"on": True, "hue": 10000, "sat": 254, "bri": 200})
    errors = [item["error"] for item in result[0] if "error" in item]
    if errors:
        fail(f"set_light answered errors: {errors}")
    hue = wait_for(
        "light 1's hue",
        lambda: bridge.get_light(1, "hue"),
        lambda h: abs(h - 10000) < 600,
    )
    seen["hue_read_back"] = hue
    seen["bri_read_back"] = bridge.get_light(1, "bri")
    seen["colormode"] = bridge.get_light(1, "colormode")

    # Through phue's Light objects: switch off, then a warm white by colour temperature.
    light = lights[1]
    light.on = False
    wait_for("light 1 switched off", lambda: bridge.get_light(1, "on"), lambda on: on is False)
    light.on = True
    light.colortemp = 400
    wait_for("light 1's ct", lambda: bridge.get_light(1, "colormode"), lambda m: m == "ct")
    seen["ct_read_back"] = bridge.get_light(1, "ct")

    # A new client from the saved username: no pairing again.
    again = phue.Bridge(args.bridge, config_file_path=args.config)
    seen["reconnected_name"] = again.get_light(1, "name")

    print(json.dumps(seen))


if __name__ == "__main__":
    main()
