#!/usr/bin/python3
"""Boots the kiosk's TEST disk image (image/build-disk --test) in QEMU under TCG with OVMF and checks
the appliance end to end. Called by image/test-image; see image/README.md.

Steps (each timed): boot to READY (HTK-READY on ttyS0, printed when ht-kiosk.service becomes active),
screen dump of the attract screen (not blank), a click (the screen changes), SIGSTOP of ht-kiosk
(the watchdog restarts it: a new READY with a new PID), a file written to / and a trainer added to the
database on the data partition, a reboot: the file is gone, the trainer is still there, READY again.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

T0 = time.monotonic()


def log(msg):
    print(f"test-image: [{time.monotonic() - T0:7.1f}s] {msg}", flush=True)


class Fail(Exception):
    pass


def connect_unix(path, what):
    """QEMU's server sockets appear a moment after it starts: retry for up to 10 s."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(100):
        try:
            sock.connect(path)
            return sock
        except OSError:
            time.sleep(0.1)
    sock.close()
    raise Fail(f"could not connect to {what} {path}")


class Serial:
    """The VM's ttyS0 through QEMU's socket chardev: a stream we search for markers."""

    def __init__(self, path):
        self.sock = connect_unix(path, "the serial socket")
        self.sock.settimeout(0.5)
        self.ready = False  # the test shell is up with echo off
        self.buf = ""   # everything received
        self.pos = 0    # where the next search starts
        self.seq = 0

    def pump(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return
        if not data:
            raise Fail("the VM's serial port closed (QEMU exited?)")
        self.buf += data.decode("utf-8", "replace").replace("\r", "")

    def wait(self, pattern, timeout, what):
        rx = re.compile(pattern, re.S)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            if time.monotonic() > end:
                raise Fail(f"timed out after {timeout} s waiting for {what}")
            self.pump()

    def send(self, text):
        self.sock.sendall(text.encode())

    def shell(self):
        """Waits for the test image's root shell on ttyS0 and turns its echo off."""
        self.send("\n")
        self.wait(r"htk-test# ", 180, "the test shell's prompt on ttyS0")
        self.send("stty -echo; export SYSTEMD_PAGER= SYSTEMD_COLORS=0 TERM=dumb\n")
        time.sleep(1)
        self.ready = True

    def run(self, cmd, timeout=120):
        """Runs a command in the test image's root shell on ttyS0; returns (status, output)."""
        self.seq += 1
        n = self.seq
        self.send(f"echo __S{n}__; {cmd}; echo __E{n}__ $?\n")
        m = self.wait(rf"__S{n}__\n(.*?)__E{n}__ (\d+)", timeout, f"the shell command `{cmd}`")
        return int(m.group(2)), m.group(1)

    def check(self, cmd, timeout=120):
        status, out = self.run(cmd, timeout)
        if status != 0:
            raise Fail(f"`{cmd}` failed ({status}): {out.strip()}")
        return out


class QMP:
    def __init__(self, path):
        self.sock = connect_unix(path, "QMP at")
        self.f = self.sock.makefile("rw")
        json.loads(self.f.readline())  # greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **args):
        self.f.write(json.dumps({"execute": name, "arguments": args}) + "\n")
        self.f.flush()
        while True:
            reply = json.loads(self.f.readline())
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise Fail(f"QMP {name}: {reply['error']}")
            # an asynchronous event: ignore


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise Fail(f"{path} is not a PPM screen dump")
    w, h = int(m.group(1)), int(m.group(2))
    return w, h, data[m.end():m.end() + w * h * 3]


def screen_stats(path):
    w, h, px = read_ppm(path)
    # Sample every 7th pixel: distinct colours and the share of the most common one.
    counts = {}
    for i in range(0, len(px) - 2, 3 * 7):
        c = px[i:i + 3]
        counts[c] = counts.get(c, 0) + 1
    total = sum(counts.values())
    top = max(counts.values())
    return w, h, len(counts), top / total


def screendump(qmp, path):
    if os.path.exists(path):
        os.unlink(path)
    qmp.cmd("screendump", filename=path)
    for _ in range(50):
        if os.path.exists(path) and os.path.getsize(path) > 0:
            break
        time.sleep(0.1)
    return screen_stats(path)


def click(qmp, x, y):
    """An absolute click (virtio-tablet) at x, y in 0..32767."""
    qmp.cmd("input-send-event", events=[
        {"type": "abs", "data": {"axis": "x", "value": x}},
        {"type": "abs", "data": {"axis": "y", "value": y}}])
    time.sleep(0.2)
    qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": True, "button": "left"}}])
    time.sleep(0.15)
    qmp.cmd("input-send-event", events=[{"type": "btn", "data": {"down": False, "button": "left"}}])


def diff_fraction(a, b):
    _, _, pa = read_ppm(a)
    _, _, pb = read_ppm(b)
    if len(pa) != len(pb):
        return 1.0
    n = diff = 0
    for i in range(0, len(pa) - 2, 3 * 11):
        n += 1
        if pa[i:i + 3] != pb[i:i + 3]:
            diff += 1
    return diff / max(n, 1)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--disk", required=True)
    ap.add_argument("--run-dir", required=True)
    ap.add_argument("--boot-timeout", type=int, default=900)
    ap.add_argument("--memory", default="2048")
    args = ap.parse_args()

    run = args.run_dir
    os.makedirs(run, exist_ok=True)
    disk = os.path.join(run, "disk.img")
    vars_fd = os.path.join(run, "OVMF_VARS.fd")
    log(f"copying {args.disk} to {disk} (the test writes to it)")
    subprocess.run(["cp", "--sparse=always", args.disk, disk], check=True)
    shutil.copyfile("/usr/share/OVMF/OVMF_VARS.fd", vars_fd)
    ser_sock, qmp_sock = os.path.join(run, "serial.sock"), os.path.join(run, "qmp.sock")
    ser_log = os.path.join(run, "serial.log")
    for p in (ser_sock, qmp_sock, ser_log):
        if os.path.exists(p):
            os.unlink(p)
    qemu = ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg,thread=multi",
            # No AVX2: QEMU 7.2's TCG faults on masked-off lanes of vpgatherdd, which llvmpipe's
            # JIT uses (ht-kiosk died with SIGSEGV on a gather in the VM, never on hardware).
            "-cpu", "max,avx2=off",
            "-smp", "2", "-m", args.memory, "-nodefaults", "-no-user-config",
            "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE.fd",
            "-drive", f"if=pflash,format=raw,unit=1,file={vars_fd}",
            "-drive", f"if=virtio,format=raw,file={disk}",
            "-device", "virtio-gpu-pci", "-device", "virtio-tablet-pci", "-device", "virtio-keyboard-pci",
            "-device", "virtio-rng-pci",
            "-display", "none", "-vga", "none", "-nic", "none",
            "-chardev", f"socket,id=ser0,path={ser_sock},server=on,wait=off,logfile={ser_log}",
            "-serial", "chardev:ser0",
            "-qmp", f"unix:{qmp_sock},server=on,wait=off"]
    log("starting " + " ".join(qemu))
    qemu_log = open(os.path.join(run, "qemu.log"), "w")
    proc = subprocess.Popen(qemu, stdout=qemu_log, stderr=subprocess.STDOUT, start_new_session=True)
    times = {}
    ser = None
    try:
        for _ in range(100):
            if os.path.exists(ser_sock) and os.path.exists(qmp_sock):
                break
            if proc.poll() is not None:
                raise Fail(f"qemu exited with {proc.returncode}: see {run}/qemu.log")
            time.sleep(0.1)
        ser = Serial(ser_sock)
        qmp = QMP(qmp_sock)

        # 1. Boot to READY.
        t = time.monotonic()
        m = ser.wait(r"HTK-READY pid=(\d+) restarts=(\d+)", args.boot_timeout, "HTK-READY (ht-kiosk.service active)")
        times["boot to READY"] = time.monotonic() - t
        pid1 = int(m.group(1))
        log(f"READY after {times['boot to READY']:.0f} s (cage pid {pid1})")
        ser.shell()
        info = ser.check("uname -r; systemctl is-system-running || true; findmnt -n -o SOURCE,FSTYPE,OPTIONS /; findmnt -n -o SOURCE,FSTYPE,OPTIONS /var/lib/ht-kiosk")
        log("in the VM: " + " | ".join(l for l in info.splitlines() if l.strip()))
        if "overlay" not in info:
            raise Fail("/ is not an overlay: overlayroot did not run")
        if "/dev/vda3" not in info and "htk-data" not in info:
            log("note: the data partition's device is not /dev/vda3")

        # 2. The attract screen.
        time.sleep(5)
        w, h, colours, top = screendump(qmp, os.path.join(run, "attract.ppm"))
        log(f"screen dump {w}x{h}: {colours} colours sampled, the commonest covers {top:.0%}")
        if colours < 8 or top > 0.985:
            raise Fail(f"the attract screen looks blank ({colours} colours, {top:.1%} one colour): see {run}/attract.ppm")

        # 3. A click: the attract screen gives way to the language picker.
        click(qmp, 16384, 16384)
        time.sleep(8)
        screendump(qmp, os.path.join(run, "after-click.ppm"))
        changed = diff_fraction(os.path.join(run, "attract.ppm"), os.path.join(run, "after-click.ppm"))
        log(f"after the click {changed:.0%} of the screen changed")
        if changed < 0.02:
            raise Fail(f"the click changed nothing on screen: see {run}/attract.ppm and after-click.ppm")

        # 4. Freeze the app: the watchdog (WatchdogSec=) kills it and Restart=always brings it back.
        out = ser.check("pgrep -x ht-kiosk")
        app = int(out.split()[0])
        nrestarts = int(ser.check("systemctl show -P NRestarts ht-kiosk.service").strip())
        t = time.monotonic()
        ser.check(f"kill -STOP {app}")
        log(f"SIGSTOP sent to ht-kiosk (pid {app}); waiting for the watchdog")
        m = ser.wait(r"HTK-READY pid=(\d+) restarts=(\d+)", 300, "READY after the watchdog's restart")
        times["SIGSTOP to READY again"] = time.monotonic() - t
        if int(m.group(1)) == pid1 or int(m.group(2)) <= nrestarts:
            raise Fail(f"ht-kiosk.service was not restarted (pid {m.group(1)}, restarts {m.group(2)})")
        out = ser.check("journalctl -b -u ht-kiosk.service --no-pager | grep -i -m1 watchdog || true")
        log(f"restarted by the watchdog in {times['SIGSTOP to READY again']:.0f} s: {out.strip()}")
        new_app = int(ser.check("pgrep -x ht-kiosk").split()[0])
        if new_app == app:
            raise Fail("ht-kiosk has the same pid after the restart")

        # 5. Writes: one to / (the overlay's tmpfs), one to the database on the data partition.
        ser.check("echo gone-after-reboot > /htk-probe-root")
        ser.check("echo kept-after-reboot > /var/lib/ht-kiosk/htk-probe-data && chown kiosk:kiosk /var/lib/ht-kiosk/htk-probe-data")
        admin = ("setpriv --reuid=kiosk --regid=kiosk --init-groups env HOME=/var/lib/ht-kiosk "
                 "ht-admin --database /var/lib/ht-kiosk/kiosk.db --passphrase-fd 3")
        ser.check(f"{admin} trainers add --name 'Reboot Probe' --languages en 3</var/lib/ht-kiosk/demo-passphrase")
        ser.check("sync")

        # 6. Reboot.
        t = time.monotonic()
        ser.send("systemctl reboot\n")
        m = ser.wait(r"HTK-READY pid=(\d+) restarts=(\d+)", args.boot_timeout, "READY after the reboot")
        times["reboot to READY"] = time.monotonic() - t
        log(f"READY again {times['reboot to READY']:.0f} s after the reboot")
        ser.shell()
        status, _ = ser.run("test -e /htk-probe-root")
        if status == 0:
            raise Fail("/htk-probe-root survived the reboot: the root is not read-only")
        ser.check("grep -q kept-after-reboot /var/lib/ht-kiosk/htk-probe-data")
        out = ser.check(f"{admin} trainers list 3</var/lib/ht-kiosk/demo-passphrase")
        if "Reboot Probe" not in out:
            raise Fail("the trainer added before the reboot is not in the database")
        log("after the reboot: the write to / is gone; the data partition's file and the database's new trainer are there")

        ser.send("systemctl poweroff\n")
        try:
            proc.wait(timeout=120)
        except subprocess.TimeoutExpired:
            qmp.cmd("quit")
        times["total"] = time.monotonic() - T0
        log("PASS: " + ", ".join(f"{k} {v:.0f} s" for k, v in times.items()))
        return 0
    except Fail as e:
        log(f"FAIL: {e}")
        if ser is not None and ser.ready:
            # What the VM says about the kiosk, its display and its compositor.
            try:
                _, out = ser.run("systemctl status --no-pager -n0 ht-kiosk.service; "
                                 "journalctl -b --no-pager -o short-monotonic -u ht-kiosk.service | tail -40; "
                                 "ls -l /dev/dri /dev/fb* 2>&1; cat /proc/fb; "
                                 "journalctl -b -k --no-pager -o short-monotonic | grep -i -E 'drm|fb|virtio_gpu|simple' | tail -20",
                                 timeout=60)
                log("diagnostics from the VM:")
                for line in out.splitlines():
                    print("    " + line)
            except Fail as e2:
                log(f"no diagnostics from the VM: {e2}")
        log(f"serial log: {ser_log}; last lines:")
        try:
            with open(ser_log, errors="replace") as f:
                for line in f.read().splitlines()[-25:]:
                    print("    " + line)
        except OSError:
            pass
        return 1
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        for p in (ser_sock, qmp_sock, disk):
            if os.path.exists(p):
                os.unlink(p)


if __name__ == "__main__":
    sys.exit(main())
