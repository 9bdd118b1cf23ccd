/** What a person sees when something broke on our side; the details go to the log, never to Slack. */
export const SORRY_TEXT = 'Sorry, something went wrong on my side. Please try again in a moment.';
