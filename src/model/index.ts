export * from './activation.js';
export * from './teacher.js';
export * from './problem.js';
export * from './student.js';
