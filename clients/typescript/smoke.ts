// Shoal's API from TypeScript: a service's life through ControlService, over gRPC with mutual TLS.
//
//   node clients/typescript/dist/smoke.js CONTROL_ADDR CERT_DIR NAME IMAGE
//
// CONTROL_ADDR is control's host:port; CERT_DIR holds ca.pem, cert.pem and key.pem (as the CLI's
// SHOAL_CERT_PATH; control authorizes by the certificate's role, so use a manager's). Lists the
// services, creates NAME (IMAGE, 1 replica, `sleep 1d`), finds it in the list, gets it, removes
// it and finds it gone: one line per step. Exits 1 with the gRPC status and message on a failed
// call, 2 when an answer is not what it should be.
//
// clients/generate.sh writes the client into gen/ (protoc-gen-es) and compiles this file with it
// into dist/ (tsc).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Code, ConnectError, createClient, type Client } from "@connectrpc/connect";
import { createGrpcTransport } from "@connectrpc/connect-node";
import { ControlService } from "./gen/shoal/v1/control_pb.js";
import type { Service } from "./gen/shoal/v1/objects_pb.js";

type Control = Client<typeof ControlService>;

/** An answer that is not what the step expects. */
class Mismatch extends Error {}

/** Every service, page by page. */
async function listServices(control: Control): Promise<Service[]> {
  const services: Service[] = [];
  let pageToken = "";
  do {
    const page = await control.listServices({ pageToken });
    services.push(...page.services);
    pageToken = page.nextPageToken;
  } while (pageToken !== "");
  return services;
}

/** Connect's name of a status (NotFound) as gRPC spells it (NOT_FOUND). */
function grpcStatus(code: Code): string {
  return Code[code].replace(/([a-z])([A-Z])/g, "$1_$2").toUpperCase();
}

async function run(control: Control, name: string, image: string): Promise<number> {
  let step = "list";
  try {
    const before = await listServices(control);
    console.log(`listed ${before.length} services`);
    if (before.some((s) => s.spec?.name === name)) {
      throw new Mismatch(`a service named ${name} is there already`);
    }

    step = "create";
    const created = (
      await control.createService({
        spec: {
          name,
          container: { image, args: ["sleep", "1d"] },
          mode: { case: "replicated", value: { replicas: 1n } },
        },
      })
    ).service;
    if (created === undefined) {
      throw new Mismatch("the answer holds no service");
    }
    console.log(`created ${created.spec?.name}: id ${created.id}`);

    step = "list";
    if (!(await listServices(control)).some((s) => s.id === created.id)) {
      throw new Mismatch(`${name} (${created.id}) is not in the list`);
    }
    console.log(`found ${name} in the list`);

    step = "get";
    const got = (await control.getService({ service: name })).service;
    const container = got?.spec?.container;
    const mode = got?.spec?.mode;
    if (got?.id !== created.id || container?.args.join(" ") !== "sleep 1d" ||
        mode?.case !== "replicated" || mode.value.replicas !== 1n) {
      throw new Mismatch(`got ${JSON.stringify(got, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`);
    }
    console.log(`inspected ${name}: image ${container.image}, ${mode.value.replicas} replica, args ${container.args.join(" ")}`);

    step = "remove";
    await control.deleteService({ service: created.id });
    console.log(`removed ${name}`);

    step = "list";
    if ((await listServices(control)).some((s) => s.id === created.id)) {
      throw new Mismatch(`${name} is still in the list`);
    }
    console.log(`gone: ${name} is no longer in the list`);
    return 0;
  } catch (e) {
    if (e instanceof ConnectError) {
      console.error(`${step} failed: ${grpcStatus(e.code)}: ${e.rawMessage}`);
      return 1;
    }
    if (e instanceof Mismatch) {
      console.error(`${step} failed: ${e.message}`);
      return 2;
    }
    throw e;
  }
}

async function main(args: string[]): Promise<number> {
  if (args.length !== 4) {
    console.error("usage: smoke.js CONTROL_ADDR CERT_DIR NAME IMAGE");
    return 64;
  }
  const [addr, certDir, name, image] = args;
  const read = (file: string) => readFileSync(join(certDir, file));
  // gRPC is HTTP/2 only: Connect 2's gRPC transport has no httpVersion to choose.
  const transport = createGrpcTransport({
    baseUrl: `https://${addr}`,
    nodeOptions: { ca: read("ca.pem"), cert: read("cert.pem"), key: read("key.pem") },
    defaultTimeoutMs: 30_000,
  });
  return run(createClient(ControlService, transport), name, image);
}

// The transport keeps its HTTP/2 session open: exit once done.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    process.exit(3);
  },
);
