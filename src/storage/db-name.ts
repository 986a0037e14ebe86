// The database's name, apart from db.ts so that a page can open the database without
// loading Dexie (src/storage/first-screen-direct.ts).
export const DB_NAME = 'leakwatch';
