import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { hanoiDate } from '../../lib/clock.ts'
import { sendItems, sendList } from '../../lib/pagination.ts'
import { listOrCsv, json, notModified, problems, ref } from '../../lib/schema.ts'
import { IdParams } from '../villages/schemas.ts'
import { decideEvaluation, productRecognitions, revokeRecognition } from './decision.ts'
import { listRecognitions, recordNotice } from './recognitions.ts'
import { recordExternalRecognition } from './external.ts'
import { Decided, DecisionCreate, Evaluation, ExternalRecognitionCreate, EvaluationCreate, EvaluationPage, EvaluationQuery, NoticeCreate, Recognition, RecognitionList, RecognitionPage, RecognitionQuery, RevocationCreate, ScoreSheetCreate } from './schemas.ts'
import { addScoreSheet, createEvaluation, getEvaluation, listEvaluations, submitEvaluation } from './service.ts'

const evaluationRef = ref(Evaluation)

const routes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/evaluations', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listEvaluations',
      summary: 'List evaluations',
      description: 'Newest first. Anonymous readers and partners see decided evaluations only, without score sheets.',
      tags: ['evaluations'],
      querystring: EvaluationQuery,
      response: { 200: listOrCsv('A page of evaluations', EvaluationPage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, EvaluationPage, (page) => listEvaluations(req.db, { ...req.query, ...page }, req.principal)))

  app.get('/evaluations/:id', {
    config: { permission: 'public', etag: true },
    schema: {
      operationId: 'getEvaluation',
      summary: 'Read an evaluation',
      tags: ['evaluations'],
      params: IdParams,
      response: { 200: json('The evaluation', evaluationRef), 304: notModified, ...problems(400, 401, 404, 429) }
    }
  }, async (req) => getEvaluation(req.db, req.params.id, req.principal))

  app.post('/evaluations', {
    config: { permission: 'evaluations:prepare', etag: true },
    schema: {
      operationId: 'createEvaluation',
      summary: 'Open an evaluation (the dossier) for a product',
      description: 'Starts as a draft. Operators prepare dossiers for products of their units; council keys open evaluations at their own level. Score, tier and mandatory criteria are computed from the sheets: sending them is a 400.',
      tags: ['evaluations'],
      body: ref(EvaluationCreate),
      response: { 201: json('The draft evaluation', evaluationRef), ...problems(400, 401, 403, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const evaluation = await createEvaluation(req.db, req.principal, req.body)
    return reply.code(201).header('location', `/v1/evaluations/${evaluation.id}`).send(evaluation)
  })

  app.post('/evaluations/:id/submit', {
    config: { permission: 'evaluations:prepare' },
    schema: {
      operationId: 'submitEvaluation',
      summary: 'Submit a draft evaluation to its council',
      tags: ['evaluations'],
      params: IdParams,
      response: { 200: json('The submitted evaluation', evaluationRef), ...problems(400, 401, 403, 404, 409, 429) }
    }
  }, async (req) => submitEvaluation(req.db, req.principal, req.params.id))

  app.post('/evaluations/:id/score-sheets', {
    config: { permission: 'evaluations:decide' },
    schema: {
      operationId: 'addScoreSheet',
      summary: 'Add a council member\'s score sheet',
      description: 'Every criterion of the set is scored, none above its maximum, no unknown code (422 naming the criterion). The sheet\'s part totals and total, and the evaluation\'s score (mean of the totals, truncated to two decimals), tier and mandatory criteria, are computed.',
      tags: ['evaluations'],
      params: IdParams,
      body: ref(ScoreSheetCreate),
      response: { 200: json('The evaluation with its new score', evaluationRef), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req) => addScoreSheet(req.db, req.principal, req.params.id, req.body))

  app.post('/evaluations/:id/decide', {
    config: { permission: 'evaluations:decide' },
    schema: {
      operationId: 'decideEvaluation',
      summary: 'Decide a scored evaluation',
      description: 'The star is the highest tier whose score interval and mandatory criteria (minimum mean points per star level, data of the criteria set) are met, within the authority of the council level on the decision date (QD1048 until 2023-02-23; QD148 until 2025-06-30; no district and no 3-star recognition from 2025-07-01 to 2025-07-05; the city 3 and 4 stars from 2025-07-06). 1-2 stars are recorded; 3-5 stars create a recognition with its certificate (last valid day: the issue date + 36 months, as the Civil Code counts) that takes effect on its issue date and supersedes the one in force. A city score of 90+ is recognised as 4 stars and forwarded; only a forwarded product awaiting review may be decided by the central council, which confirms 5 stars or rejects the review (the 4 stars stand). Refusals, each a 422 naming the field and its problem type: `decision-date-in-future`, `issue-date-outside-window` (issue date before the decision or more than CERTIFICATE_ISSUE_WINDOW_DAYS after it), `criteria-set-not-usable`, `district-abolished`, `no-three-star-authority`, `outside-authority`, `no-pending-forward`. 409 `quorum-not-met` with fewer score sheets than the set\'s quorum; 409 `out-of-order` for a back-dated decision that would shorten a recognition already superseded. Decisions on one product are applied one at a time.',
      tags: ['evaluations'],
      params: IdParams,
      body: ref(DecisionCreate),
      response: { 200: json('The decided evaluation and what it did', ref(Decided)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req) => decideEvaluation(req.db, req.principal, req.params.id, req.body, hanoiDate(app.clock.now()), app.config.timeline))

  app.get('/recognitions', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listRecognitions',
      summary: 'List recognitions (certificates), soonest expiry first',
      description: 'Filter by status on a day (`asOf`, default today in Hanoi), star, issuing level, administrative unit and `expiresBefore`; `noticeDue=true` lists the recognitions that need the 30-day expiry notice.',
      tags: ['evaluations'],
      querystring: RecognitionQuery,
      response: { 200: listOrCsv('A page of recognitions', RecognitionPage), ...problems(400, 401, 429) }
    }
  }, async (req, reply) => sendList(req, reply, RecognitionPage, (page) => listRecognitions(req.db, { ...req.query, asOf: req.query.asOf ?? hanoiDate(app.clock.now()), ...page }, req.principal, app.config.timeline.noticeLeadDays)))

  app.post('/recognitions/:id/notice', {
    config: { permission: 'evaluations:decide' },
    schema: {
      operationId: 'recordExpiryNotice',
      summary: 'Record that the 30-day expiry notice was sent',
      tags: ['evaluations'],
      params: IdParams,
      body: ref(NoticeCreate),
      response: { 200: json('The recognition', ref(Recognition)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req) => recordNotice(req.db, req.principal, req.params.id, req.body.sentOn, hanoiDate(app.clock.now()), app.config.timeline.noticeLeadDays))

  app.post('/recognitions/:id/revoke', {
    config: { permission: 'evaluations:decide' },
    schema: {
      operationId: 'revokeRecognition',
      summary: 'Revoke a recognition',
      description: 'Ends the recognition from `revokedOn`, with the decision reference and the reason. Nothing is deleted: the recognition stays in the product\'s history. A council key may revoke what its level issued.',
      tags: ['evaluations'],
      params: IdParams,
      body: ref(RevocationCreate),
      response: { 200: json('The revoked recognition', ref(Recognition)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req) => revokeRecognition(req.db, req.principal, req.params.id, req.body, hanoiDate(app.clock.now()), app.config.timeline))

  app.post('/products/:id/external-recognitions', {
    config: { permission: 'catalogue:write' },
    schema: {
      operationId: 'recordExternalRecognition',
      summary: 'Record another province\'s recognition of a product',
      description: 'For a product of a producer outside Hanoi, recognised by its own province\'s council: Hanoi records it and may list the product at its venues and fairs, but never evaluates it. It takes its place in the product\'s timeline like any recognition: in force from `issuedOn` through `expiresOn`, until revoked or superseded. It is shown in listings and the feed with its province, and counted in statistics only when grouped by province. A product of a Hanoi producer is refused (422).',
      tags: ['evaluations'],
      params: IdParams,
      body: ref(ExternalRecognitionCreate),
      response: { 201: json('The recognition recorded', ref(Recognition)), ...problems(400, 401, 403, 404, 409, 422, 429) }
    }
  }, async (req, reply) => {
    const created = await recordExternalRecognition(req.db, req.principal, req.params.id, req.body, hanoiDate(app.clock.now()), app.config.timeline.noticeLeadDays)
    return reply.code(201).header('location', `/v1/products/${req.params.id}/recognitions`).send(created)
  })

  app.get('/products/:id/recognitions', {
    config: { permission: 'public' },
    schema: {
      operationId: 'listProductRecognitions',
      summary: 'A product\'s recognitions, oldest first: its whole history',
      description: 'Every recognition with its supersession, central review outcome and revocation: nothing is ever overwritten.',
      tags: ['evaluations'],
      params: IdParams,
      response: { 200: listOrCsv('The history (CSV: the recognitions, without the events)', RecognitionList), ...problems(400, 401, 404, 429) }
    }
  }, async (req, reply) => sendItems(req, reply, RecognitionList, await productRecognitions(req.db, req.params.id, req.principal, hanoiDate(app.clock.now()), app.config.timeline)))
}
export default routes
