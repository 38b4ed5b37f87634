import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { actorOf } from '../../app/http/auth.js';
import { problemResponses } from '../../app/http/problem.js';
import {
  byMethodSchema,
  byRecordSchema,
  byTypeSchema,
  filtersQuerySchema,
  geoSchema,
  lengthsSchema,
  networkQuerySchema,
  networkSchema,
  occupancySchema,
  overTimeQuerySchema,
  overTimeSchema,
  timelineSchema,
} from './analysis.schemas.js';
import * as uc from './analysis.usecases.js';

const SCOPE =
  'Counts only records of the compartments where you may read records (narrowed by `compartment`); a record anywhere else never changes a number, and an account in no compartment gets zeros. Approximate dates count by the earliest day they may mean (`2020-08` → 2020-08-01).';

/** The analysis endpoints behind the UI's charts, timeline, map and network view (GET, `record.read`). */
export function registerAnalysisRoutes(app: FastifyInstance, deps: uc.AnalysisDeps): void {
  const r = app.withTypeProvider<ZodTypeProvider>();
  const tags = ['analysis'];
  const base = '/api/v1/analysis';

  r.get(`${base}/detentions-over-time`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Detentions per day, week or month',
      description: `Detentions by the period their detainedAt falls in; an approximate date counts in the period of its earliest day (a detention dated only \`2020-08\` counts on 2020-08-01, a year on 1 January). from/to compare detainedAt; place is where detained; facility: a custody stay there; unit: a detaining unit or one named by an involvement in its act; actType, method, status: those of its act and event. ${SCOPE}`,
      querystring: overTimeQuerySchema,
      response: { 200: overTimeSchema, ...problemResponses },
    },
    handler: async (req) => uc.detentionsOverTime(deps, actorOf(req), req.query),
  });

  const actsFilters =
    'from/to compare the act’s start; place is the act’s place; facility as in acts-by-facility; unit: named by an involvement in the act; status: that of its event.';

  r.get(`${base}/acts-by-type`, {
    config: { policy: 'record.read' },
    schema: { tags, summary: 'Acts per act type', description: `${actsFilters} ${SCOPE}`, querystring: filtersQuerySchema, response: { 200: byTypeSchema, ...problemResponses } },
    handler: async (req) => uc.actsByType(deps, actorOf(req), req.query),
  });

  r.get(`${base}/acts-by-method`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Acts per method of violence',
      description: `Methods are repeatable: an act with two methods counts for both, so the items may add up to more than \`total\`. ${actsFilters} ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: byMethodSchema, ...problemResponses },
    },
    handler: async (req) => uc.actsByMethod(deps, actorOf(req), req.query),
  });

  r.get(`${base}/acts-by-facility`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Acts per detention facility',
      description: `Acts carry no facility; an act is tied to a facility (1) when it is the act of a detention with a custody stay there, or (2) when its victim was held there at the time: the victim of a detention with a stay there, the act beginning within the stay (from its first day to its last, or open-ended), at the facility’s place or at no recorded place. An act tied to several facilities counts for each; acts tied to none are only in \`total\`. ${actsFilters} ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: byRecordSchema, ...problemResponses },
    },
    handler: async (req) => uc.actsByFacility(deps, actorOf(req), req.query),
  });

  r.get(`${base}/acts-by-unit`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Acts per unit named as alleged perpetrator',
      description: `Acts per unit named by an involvement in the act (any degree). An act with several units counts for each. ${actsFilters} ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: byRecordSchema, ...problemResponses },
    },
    handler: async (req) => uc.actsByUnit(deps, actorOf(req), req.query),
  });

  r.get(`${base}/detention-lengths`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'How long detentions and custody stays lasted',
      description: `Histograms of whole days from start to end (detentions: detainedAt → releasedAt; custody stays: from → to), both by their earliest day, so a stay dated by month is approximate; an end recorded as earlier than the start (possible with approximate dates) counts as 0 days. Custody stays: from/to compare their first day, place is their facility’s place, unit/actType/method/status those of their detention. ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: lengthsSchema, ...problemResponses },
    },
    handler: async (req) => uc.detentionLengths(deps, actorOf(req), req.query),
  });

  r.get(`${base}/occupancy`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Custody stays per facility per day (or week, month) against capacity',
      description: `For each facility (those named by \`facility\`, else every facility with a matching stay), the number of custody stays overlapping each period of the range, with the facility’s capacity. A stay lasts from its first day to its last day, both counted; one with no end counts to the end of the range. The range is [from, to) when given, else from the first to the last day the stays mention. Periods are days up to 400 days, weeks (from Monday) up to 3000, then months, then years. Counting stays (records), not people: a stay of a group person counts once. place: the facility’s place; unit/actType/method/status: those of the stay’s detention. ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: occupancySchema, ...problemResponses },
    },
    handler: async (req) => uc.occupancy(deps, actorOf(req), req.query),
  });

  r.get(`${base}/network`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Network of alleged perpetrators: units ↔ events, or persons ↔ units',
      description: `From involvements. unit-event: a unit named in an act of an event, weighted by the number of such acts. person-unit: a person and a unit named in the same act, weighted by the number of such acts (positions are not used). Persons are labelled by pseudonym only. At most ${uc.NETWORK_NODE_CAP} nodes and ${uc.NETWORK_EDGE_CAP} edges, heaviest edges first. Filters apply to the acts: ${actsFilters} ${SCOPE}`,
      querystring: networkQuerySchema,
      response: { 200: networkSchema, ...problemResponses },
    },
    handler: async (req) => uc.network(deps, actorOf(req), req.query),
  });

  r.get(`${base}/geo`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Places and facilities on a map, with counts',
      description: `Places with coordinates (latitude/longitude of the place record), with the events, acts and detentions that name exactly that place (not places within it); and facilities whose place has coordinates, with their custody stays and the acts tied to them (see acts-by-facility). \`type\` (events, acts, detentions, custody-stays) chooses what is counted. Each record is filtered as in the other endpoints. ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: geoSchema, ...problemResponses },
    },
    handler: async (req) => uc.geo(deps, actorOf(req), req.query),
  });

  r.get(`${base}/timeline`, {
    config: { policy: 'record.read' },
    schema: {
      tags,
      summary: 'Events and acts with their dates, for a zoomable timeline',
      description: `Events and acts that have a start, earliest first; \`type\` (events, acts) chooses which. from/to compare the start. At most ${uc.TIMELINE_CAP} items: narrow with from/to when \`truncated\`. Events: place, status their own; facility/unit/actType/method through their acts. Acts: ${actsFilters} ${SCOPE}`,
      querystring: filtersQuerySchema,
      response: { 200: timelineSchema, ...problemResponses },
    },
    handler: async (req) => uc.timeline(deps, actorOf(req), req.query),
  });
}
