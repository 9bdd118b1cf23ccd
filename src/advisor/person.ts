/** Someone the app stores things about: a user of one workspace (the same user id can exist in two). */
export interface Person {
  teamId: string;
  userId: string;
}

/** The key a person's stored records are kept under: `T…:U…`. */
export function personKey({ teamId, userId }: Person): string {
  return `${teamId}:${userId}`;
}
