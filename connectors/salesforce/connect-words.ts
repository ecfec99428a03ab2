/**
 * Where an admin connects Salesforce, in the words every Salesforce message uses: the page's name,
 * its address and the button, so a "not connected", an expired session and a failed install all
 * send them to the same place.
 */
export const CONNECT_SALESFORCE = 'open the Connections page of `leadlift serve` (/install) and choose "Connect Salesforce"';
