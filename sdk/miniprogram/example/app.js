// The sample needs nothing app-wide: the consultation page owns its engine.
App({});
