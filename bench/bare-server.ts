/**
 * The comparison point of scenario 2: Fastify answering 204 on Reelay's
 * webhook path without any work (JSON parsed by Fastify's default parser,
 * nothing verified, nothing stored). Runs in its own process, like Reelay.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false, bodyLimit: 1024 * 1024 });
app.post('/webhooks/hubspot', async (_request, reply) => reply.code(204).send());
app.get('/readyz', async () => ({ ok: true }));

await app.listen({ port: Number(process.env.PORT ?? 0), host: '127.0.0.1' });
const stop = () => void app.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
