/**
 * Where an admin connects HubSpot, in the words every HubSpot message uses (Salesforce's twin:
 * connectors/salesforce/connect-words.ts): the page's name, its address and the button, so a
 * rejected token, a failed install and "not connected" all send them to the same place.
 */
export const CONNECT_HUBSPOT = 'open the Connections page of `leadlift serve` (/install) and choose "Connect HubSpot"';
