import { z } from 'zod';
import { experimentConfigSchema } from '/work/i10/src/experiments/configSchema.ts';
const s = experimentConfigSchema.shape;
for (const k of ['n','momentum','lr','batch_size','L','varying_param','init','lr_scheduler_kwargs','seed']) {
  const t:any = (s as any)[k];
  console.log(k, t.def.type, t.def.innerType?.def.type, JSON.stringify(z.toJSONSchema(t, {io:'input', unrepresentable:'any'})));
}
const n:any = s.momentum; console.log(n.def.innerType.def.checks?.map((c:any)=>c._zod.def));
console.log(n.def.innerType.minValue, n.def.innerType.maxValue, n.def.innerType.isInt);
