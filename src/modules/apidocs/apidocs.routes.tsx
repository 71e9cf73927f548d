// The OpenAPI document (/api/openapi.json), generated from the routes' own schemas, and a readable,
// accessible page of it (/api/docs), rendered on the server like every other page.
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { errorRegistry } from '../../platform/errors.ts';
import { Layout } from '../../web/layout.tsx';
import { sendPage } from '../../web/render.ts';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  app.addSchema({
    $id: 'Problem',
    type: 'object',
    description: 'Every error: a stable code, a message and the request id to quote when asking for help.',
    properties: {
      code: { type: 'string', enum: Object.keys(errorRegistry) },
      message: { type: 'string' },
      requestId: { type: 'string' },
      details: { type: 'object', additionalProperties: true },
    },
    required: ['code', 'message', 'requestId'],
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'Panjereh API',
        version: '1.0.0',
        description:
          'The national single window: the service catalogue, open data and (as they land) identity, applications and the exchange. Errors are JSON problem bodies with a stable code.',
        license: { name: 'Data: CC BY 4.0', url: 'https://creativecommons.org/licenses/by/4.0/' },
      },
      tags: [
        { name: 'catalogue', description: 'Agencies and their service cards' },
        { name: 'open data', description: 'Bulk downloads' },
        { name: 'UN E-Government Survey', description: 'EGDI, OSI, HCI, TII, EPI and ranks, 2005-2024, with peer groups and what-if' },
      ],
    },
    refResolver: { buildLocalReference: (json) => String(json.$id) },
  });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  app.get('/api/docs', { schema: { hide: true } }, async (_req, reply) => {
    const doc = app.swagger() as unknown as {
      info: { title: string; description: string };
      paths: Record<
        string,
        Record<
          string,
          {
            summary?: string;
            description?: string;
            parameters?: { name: string; in: string; description?: string; schema?: { type?: string } }[];
            responses?: Record<string, unknown>;
          }
        >
      >;
    };
    return sendPage(
      reply,
      <Layout lang="en" title="API documentation" altPath="/fa">
        <h1>{doc.info.title}</h1>
        <p class="lead">{doc.info.description}</p>
        <p>
          Machine-readable: <a href="/api/openapi.json">OpenAPI 3 document</a>. Requests are rate-limited per client address; a limited
          request gets <code>429</code> with code <code>RATE_LIMITED</code>.
        </p>
        <h2>Endpoints</h2>
        {Object.entries(doc.paths).flatMap(([path, ops]) =>
          Object.entries(ops).map(([method, op]) => (
            <section class="api-endpoint" aria-labelledby={`op-${method}-${path}`}>
              <h3 id={`op-${method}-${path}`}>
                <code>
                  {method.toUpperCase()} {path}
                </code>
              </h3>
              {op.summary ? <p>{op.summary}</p> : null}
              {op.description ? <p class="muted">{op.description}</p> : null}
              {op.parameters?.length ? (
                <table>
                  <caption class="muted">Parameters</caption>
                  <thead>
                    <tr>
                      <th scope="col">Name</th>
                      <th scope="col">In</th>
                      <th scope="col">Description</th>
                    </tr>
                  </thead>
                  <tbody>
                    {op.parameters.map((p) => (
                      <tr>
                        <td>
                          <code>{p.name}</code>
                        </td>
                        <td>{p.in}</td>
                        <td>{p.description ?? ''}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </section>
          )),
        )}
        <h2>Error codes</h2>
        <table>
          <thead>
            <tr>
              <th scope="col">Code</th>
              <th scope="col">HTTP status</th>
              <th scope="col">Meaning</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(errorRegistry).map(([code, e]) => (
              <tr>
                <td>
                  <code>{code}</code>
                </td>
                <td>{e.status}</td>
                <td>{e.en}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Layout>,
    );
  });
}
