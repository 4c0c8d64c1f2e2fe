// placeholder: replaced by the wasm backend build
process.exit(0);
