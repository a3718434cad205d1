// The unit and integration suites run under jest with its globals (test, describe, beforeAll, expect,
// jest); tsconfig.json lists only node's types, so the jest globals are declared here, for tests/.
/// <reference types="jest" />
