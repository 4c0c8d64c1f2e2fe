// placeholder: replaced by the native backend build
process.exit(0);
