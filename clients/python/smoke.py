#!/usr/bin/python3
"""Shoal's API from Python: a service's life through ControlService, over gRPC with mutual TLS.

    /usr/bin/python3 clients/python/smoke.py CONTROL_ADDR CERT_DIR NAME IMAGE

CONTROL_ADDR is control's host:port; CERT_DIR holds ca.pem, cert.pem and key.pem (as the CLI's
SHOAL_CERT_PATH; control authorizes by the certificate's role, so use a manager's). Lists the
services, creates NAME (IMAGE, 1 replica, `sleep 1d`), finds it in the list, gets it, removes
it and finds it gone: one line per step. Exits 1 with the gRPC status and message on a failed
call, 2 when an answer is not what it should be.

Run clients/generate.sh first: it writes the client into clients/python/gen/. Needs Debian's
python3-grpcio and python3-protobuf (so /usr/bin/python3, not another python3 on the PATH).
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen"))

import grpc  # noqa: E402

from shoal.v1 import control_pb2, control_pb2_grpc, objects_pb2  # noqa: E402

TIMEOUT_SECONDS = 30


class Mismatch(Exception):
    """An answer that is not what the step expects."""


def list_services(control):
    """Every service, page by page."""
    services, token = [], ""
    while True:
        page = control.ListServices(control_pb2.ListServicesRequest(page_token=token), timeout=TIMEOUT_SECONDS)
        services.extend(page.services)
        token = page.next_page_token
        if not token:
            return services


def run(control, name, image):
    step = "list"
    try:
        before = list_services(control)
        print("listed %d services" % len(before), flush=True)
        if any(s.spec.name == name for s in before):
            raise Mismatch("a service named %s is there already" % name)

        step = "create"
        spec = objects_pb2.ServiceSpec(
            name=name,
            container=objects_pb2.ContainerSpec(image=image, args=["sleep", "1d"]),
            replicated=objects_pb2.ReplicatedService(replicas=1),
        )
        created = control.CreateService(control_pb2.CreateServiceRequest(spec=spec), timeout=TIMEOUT_SECONDS).service
        print("created %s: id %s" % (created.spec.name, created.id), flush=True)

        step = "list"
        found = [s for s in list_services(control) if s.id == created.id]
        if not found:
            raise Mismatch("%s (%s) is not in the list" % (name, created.id))
        print("found %s in the list" % name, flush=True)

        step = "get"
        got = control.GetService(control_pb2.GetServiceRequest(service=name), timeout=TIMEOUT_SECONDS).service
        if got.id != created.id or got.spec.container.args != ["sleep", "1d"] or got.spec.replicated.replicas != 1:
            raise Mismatch("got %s" % got)
        print("inspected %s: image %s, %d replica, args %s"
              % (name, got.spec.container.image, got.spec.replicated.replicas, " ".join(got.spec.container.args)),
              flush=True)

        step = "remove"
        control.DeleteService(control_pb2.DeleteServiceRequest(service=created.id), timeout=TIMEOUT_SECONDS)
        print("removed %s" % name, flush=True)

        step = "list"
        if any(s.id == created.id for s in list_services(control)):
            raise Mismatch("%s is still in the list" % name)
        print("gone: %s is no longer in the list" % name, flush=True)
        return 0
    except grpc.RpcError as e:
        print("%s failed: %s: %s" % (step, e.code().name, e.details()), file=sys.stderr)
        return 1
    except Mismatch as e:
        print("%s failed: %s" % (step, e), file=sys.stderr)
        return 2


def main(argv):
    if len(argv) != 5:
        print("usage: %s CONTROL_ADDR CERT_DIR NAME IMAGE" % argv[0], file=sys.stderr)
        return 64
    addr, cert_dir, name, image = argv[1:]

    def read(file):
        with open(os.path.join(cert_dir, file), "rb") as f:
            return f.read()

    credentials = grpc.ssl_channel_credentials(
        root_certificates=read("ca.pem"), private_key=read("key.pem"), certificate_chain=read("cert.pem"))
    with grpc.secure_channel(addr, credentials) as channel:
        return run(control_pb2_grpc.ControlServiceStub(channel), name, image)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
