const request = require('supertest');
const app = require('../src/app');

describe('file security', () => {
  it('rejects traversal attempts', async () => {
    for (const p of ['../../etc/passwd', '..%2F..%2Fetc%2Fpasswd', '/etc/passwd']) {
      const r = await request(app).get(`/download/${encodeURIComponent(p)}`).set('Authorization', 'Bearer test');
      expect([400, 404]).toContain(r.status);
    }
  });
  it('blocks SSRF to metadata service', async () => {
    const r = await request(app).post('/import').send({ url: 'http://169.254.169.254/latest/meta-data/' });
    expect(r.status).toBe(400);
  });
});
