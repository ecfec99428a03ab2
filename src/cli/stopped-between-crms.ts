import { CRM_NAMES, type CrmName } from '../../connectors/types.js';
import { StopRequestedError } from '../jobs/stop-request.js';

const names = (crms: CrmName[]) => crms.map((crm) => CRM_NAMES[crm]).join(' and ');

/**
 * A stop heard between two CRMs' cycles: the signal's own words ("nothing was changed") would be
 * false once a CRM's cycle has written its scores, so this names the CRMs done and not started.
 */
export function stoppedBetweenCrms(stop: AbortSignal, done: CrmName[], notStarted: CrmName[]): unknown {
  const reason: unknown = stop.reason;
  if (!(reason instanceof StopRequestedError)) return reason;
  const name = reason.signalName;
  const kept = done.length > 0 ? `; ${names(done)}'s cycle finished and its scores are written` : '';
  return new StopRequestedError(name, `Stopped by ${name} before ${names(notStarted)}'s cycle started${kept}.`);
}
